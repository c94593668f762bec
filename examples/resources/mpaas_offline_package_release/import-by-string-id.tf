import {
  to = mpaas_offline_package_release.everyone
  id = "4294967297"
}
