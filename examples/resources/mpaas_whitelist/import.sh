# A whitelist is imported by its numeric ID. The API cannot list members:
# after the import the next plan shows every configured member as added, and
# the apply sends them (values already there stay, nothing is removed).
terraform import mpaas_whitelist.testers 4294967297
