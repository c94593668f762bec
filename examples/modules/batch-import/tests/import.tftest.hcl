# The batch import against the emulator, run by `make test-modules`
# (tools/scripts/test-modules.sh): it starts the emulator, builds the packages
# under var.packages and passes the emulator's store as var.emulator_store.
#
#   batch-import/v1: 32000001.zip, 32000002.zip, 32000003/ (a package folder)
#   batch-import/v2: the same, except 32000002.zip, whose content changed
#
# Call counts over this file: 3 H5Apps created, 4 uploads and versions (3,
# then 1 for the changed zip), no release task.
# expect-calls: CreateMcubeNebulaApp=3 oss:PostObject=4 CreateMcubeNebulaResource=4 CreateMcubeNebulaTask=0 ChangeMcubeNebulaTaskStatus=0

variables {
  directory = "${var.packages}/batch-import/v1"
  defaults = {
    android     = { min_version = "10.1.68" }
    extend_info = { asyncReqRate = "1800" }
  }
  overrides = {
    "32000001" = {
      h5app_name     = "Shop"
      ios            = { min_version = "10.2.0" }
      install_policy = "preload"
    }
    "32000003" = { version = "1.2.0.1" }
  }
}

run "import" {
  assert {
    condition     = output.packages["32000001"].version == "0.0.0.1" && output.packages["32000002"].version == "0.0.0.1" && output.packages["32000003"].version == "1.2.0.1"
    error_message = "Expected 0.0.0.1 for new H5Apps and the pinned 1.2.0.1 for 32000003, got ${jsonencode(output.packages)}."
  }
  assert {
    condition     = output.package_count == 3
    error_message = "Expected 3 packages (two zips and a folder), got ${output.package_count}."
  }
}

run "import_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["32000001", "32000002", "32000003"]
  }
  assert {
    condition     = output.versions == { "32000001" = ["0.0.0.1"], "32000002" = ["0.0.0.1"], "32000003" = ["1.2.0.1"] }
    error_message = "The emulator should hold one version per H5App, holds ${jsonencode(output.versions)}."
  }
  assert {
    condition     = output.h5app_names == { "32000001" = "Shop", "32000002" = "32000002", "32000003" = "32000003" }
    error_message = "The H5Apps should be created, named by overrides or by ID, are ${jsonencode(output.h5app_names)}."
  }
  assert {
    condition     = output.packages["32000001"].install_policy == "preload" && output.packages["32000001"].ios_min == "10.2.0" && output.packages["32000001"].android_min == "10.1.68"
    error_message = "32000001 should carry its overrides over the defaults, carries ${jsonencode(output.packages["32000001"])}."
  }
  assert {
    condition     = output.packages["32000002"].install_policy == "on_open" && output.packages["32000002"].ios_min == null && output.packages["32000002"].android_min == "10.1.68"
    error_message = "32000002 should carry the defaults only (Android, no iOS), carries ${jsonencode(output.packages["32000002"])}."
  }
  assert {
    condition     = alltrue([for id, tasks in output.active_releases : length(tasks) == 0])
    error_message = "A batch import releases nothing, the emulator holds ${jsonencode(output.active_releases)}."
  }
}

# Earlier outputs come in as variables (before = run.import): OpenTofu 1.10
# resolves run.<name> in variables blocks, not in assertions.
run "changed_zip" {
  variables {
    directory = "${var.packages}/batch-import/v2"
    before    = run.import
  }
  assert {
    condition     = output.packages["32000002"].version == "0.0.0.2" && output.packages["32000001"] == var.before.packages["32000001"] && output.packages["32000003"] == var.before.packages["32000003"]
    error_message = "Only 32000002 changed, so only it should get a new version (0.0.0.2): ${jsonencode(var.before.packages)} became ${jsonencode(output.packages)}."
  }
}

run "changed_zip_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["32000001", "32000002", "32000003"]
  }
  assert {
    condition     = output.versions == { "32000001" = ["0.0.0.1"], "32000002" = ["0.0.0.1", "0.0.0.2"], "32000003" = ["1.2.0.1"] }
    error_message = "The emulator should hold one new version, of 32000002, holds ${jsonencode(output.versions)}."
  }
}

# The same inputs again: every output is known at plan and equal to the last
# apply's, so nothing is replaced (the call counts show nothing was written).
run "no_op" {
  command = plan
  variables {
    directory = "${var.packages}/batch-import/v2"
    before    = run.changed_zip
  }
  assert {
    condition     = output.packages == var.before.packages
    error_message = "The same inputs should plan no change."
  }
}
