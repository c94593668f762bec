import {
  to = mpaas_offline_package.portal
  id = "12345678/1.0.0.1"
}
