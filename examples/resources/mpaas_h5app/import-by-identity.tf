import {
  to       = mpaas_h5app.portal
  identity = { h5app_id = "12345678" }
}
