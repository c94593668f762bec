import {
  to = mpaas_virtual_domain.this
  id = "workspace"
}
