# There is one virtual domain per workspace; any ID selects it.
terraform import mpaas_virtual_domain.this workspace
