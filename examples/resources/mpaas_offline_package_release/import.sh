# A release is imported by its task ID (NebulaTaskId).
terraform import mpaas_offline_package_release.everyone 4294967297
