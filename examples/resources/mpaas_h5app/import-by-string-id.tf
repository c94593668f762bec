import {
  to = mpaas_h5app.portal
  id = "12345678"
}
