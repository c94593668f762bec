import {
  to = mpaas_whitelist.testers
  id = "4294967297"
}
