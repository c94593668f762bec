import {
  to       = mpaas_offline_package_release.everyone
  identity = { task_id = "4294967297" }
}
