import {
  to = mpaas_offline_package.portal
  identity = {
    h5app_id = "12345678"
    version  = "1.0.0.1"
  }
}
