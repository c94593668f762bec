# The staged rollout against the emulator, run by `make test-modules`
# (tools/scripts/test-modules.sh): it starts the emulator, builds the packages
# under var.packages and passes the emulator's store as var.emulator_store.
#
#   release-train/v1: 31000001.zip, 31000002.zip, 31000003/ (a package folder)
#   release-train/v2: the same, except 31000001.zip, whose content changed
#
# The script checks the emulator's call counts over this file: 3 H5Apps, 4
# uploads and versions (3, then 1 for the changed zip; none for the
# promotion), 7 release tasks created (3 grayscale, 3 official, 1 for the new
# version) and 7 ended (3 by the promotion, 1 by the new version, 3 at teardown);
# one whitelist, the grayscale audience, created and deleted at teardown.
# expect-calls: CreateMcubeNebulaApp=3 oss:PostObject=4 CreateMcubeNebulaResource=4 CreateMcubeNebulaTask=7 ChangeMcubeNebulaTaskStatus=7 CreateMcubeWhitelist=1 UpdateMcubeWhitelist=1 DeleteMcubeWhitelist=1

variables {
  directory = "${var.packages}/release-train/v1"
  defaults = {
    android  = { min_version = "10.1.0" }
    ios      = { min_version = "10.2.0" }
    main_url = "/www/index.html"
  }
  overrides = {
    "31000002" = { h5app_name = "Checkout" }
    "31000003" = { install_policy = "preload" }
  }
  stage = "grayscale"
  # The grayscale runs set whitelist_ids to the whitelist made by run.qa.
  whitelist_ids = []
  memo          = "Release 2026.12"
}

# The grayscale audience: a whitelist of two testers.
run "qa" {
  module {
    source = "../testing/whitelist"
  }
  variables {
    name    = "QA"
    members = ["qa-alice", "qa-bob"]
  }
}

run "grayscale" {
  variables {
    whitelist_ids = [run.qa.id]
  }
  assert {
    condition     = output.versions == { "31000001" = "0.0.0.1", "31000002" = "0.0.0.1", "31000003" = "0.0.0.1" }
    error_message = "Each new H5App should get version 0.0.0.1, got ${jsonencode(output.versions)}."
  }
  assert {
    condition     = output.stage == "grayscale" && length(output.release_ids) == 3
    error_message = "Expected one grayscale release per H5App, got ${jsonencode(output.release_ids)} at stage ${output.stage}."
  }
}

run "grayscale_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["31000001", "31000002", "31000003"]
    clients   = { outsider = { platform = "android", client_version = "10.1.0", user_id = "not-in-the-whitelist" } }
  }
  assert {
    condition     = output.versions == { "31000001" = ["0.0.0.1"], "31000002" = ["0.0.0.1"], "31000003" = ["0.0.0.1"] }
    error_message = "The emulator should hold one version per H5App, holds ${jsonencode(output.versions)}."
  }
  assert {
    condition     = alltrue([for id, tasks in output.active_releases : length(tasks) == 1 && tasks[0].type == "grayscale" && tasks[0].version == "0.0.0.1"])
    error_message = "Each H5App should have one active grayscale release of 0.0.0.1, has ${jsonencode(output.active_releases)}."
  }
  assert {
    condition     = alltrue([for id, tasks in output.active_releases : output.whitelist_members[tasks[0].whitelist] == ["qa-alice", "qa-bob"]])
    error_message = "Each grayscale release should name the QA whitelist (qa-alice, qa-bob), names ${jsonencode(output.active_releases)} of ${jsonencode(output.whitelist_members)}."
  }
  assert {
    condition     = alltrue([for id, version in output.delivered.outsider : version == null])
    error_message = "A client outside the whitelist should receive nothing yet, receives ${jsonencode(output.delivered.outsider)}."
  }
  assert {
    condition     = output.h5app_names["31000002"] == "Checkout" && output.h5app_names["31000001"] == "31000001"
    error_message = "H5App names should come from overrides or the ID, are ${jsonencode(output.h5app_names)}."
  }
  assert {
    condition     = output.packages["31000003"].install_policy == "preload" && output.packages["31000001"].install_policy == "on_open" && output.packages["31000001"].ios_min == "10.2.0"
    error_message = "The packages should carry defaults and overrides, carry ${jsonencode(output.packages)}."
  }
}

# Earlier outputs come in as variables (before = run.grayscale): OpenTofu
# 1.10 resolves run.<name> in variables blocks, not in assertions.
run "official" {
  variables {
    stage  = "official"
    before = run.grayscale
  }
  assert {
    condition     = output.package_ids == var.before.package_ids && output.versions == var.before.versions
    error_message = "The promotion must not replace any package: ${jsonencode(var.before.package_ids)} became ${jsonencode(output.package_ids)}."
  }
  assert {
    condition     = alltrue([for id, release in output.release_ids : release != var.before.release_ids[id]])
    error_message = "The promotion should replace every release task, ${jsonencode(var.before.release_ids)} became ${jsonencode(output.release_ids)}."
  }
  assert {
    condition     = output.stage == "official"
    error_message = "The stage output should say official."
  }
}

run "official_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["31000001", "31000002", "31000003"]
    clients   = { outsider = { platform = "android", client_version = "10.1.0", user_id = "not-in-the-whitelist" } }
  }
  assert {
    condition     = output.versions == { "31000001" = ["0.0.0.1"], "31000002" = ["0.0.0.1"], "31000003" = ["0.0.0.1"] }
    error_message = "The promotion must register no version, the emulator holds ${jsonencode(output.versions)}."
  }
  assert {
    condition     = alltrue([for id, tasks in output.active_releases : length(tasks) == 1 && tasks[0].type == "official" && tasks[0].version == "0.0.0.1"])
    error_message = "Each H5App should have exactly one active release, official, of 0.0.0.1 (the grayscale one ended), has ${jsonencode(output.active_releases)}."
  }
  assert {
    condition     = output.delivered.outsider == { "31000001" = "0.0.0.1", "31000002" = "0.0.0.1", "31000003" = "0.0.0.1" }
    error_message = "Every client should receive 0.0.0.1 now, an outsider receives ${jsonencode(output.delivered.outsider)}."
  }
}

run "changed_zip" {
  variables {
    stage     = "official"
    directory = "${var.packages}/release-train/v2"
    before    = run.official
  }
  assert {
    condition     = output.versions == { "31000001" = "0.0.0.2", "31000002" = "0.0.0.1", "31000003" = "0.0.0.1" }
    error_message = "Only 31000001 changed, so only it should get a new version (0.0.0.2), got ${jsonencode(output.versions)}."
  }
  assert {
    condition     = output.release_ids["31000001"] != var.before.release_ids["31000001"] && output.release_ids["31000002"] == var.before.release_ids["31000002"] && output.release_ids["31000003"] == var.before.release_ids["31000003"]
    error_message = "Only the release of 31000001 should be replaced, ${jsonencode(var.before.release_ids)} became ${jsonencode(output.release_ids)}."
  }
  assert {
    condition     = output.package_ids["31000002"] == var.before.package_ids["31000002"] && output.package_ids["31000003"] == var.before.package_ids["31000003"]
    error_message = "Unchanged packages (moved to another folder) must not be replaced: ${jsonencode(var.before.package_ids)} became ${jsonencode(output.package_ids)}."
  }
}

run "changed_zip_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["31000001", "31000002", "31000003"]
    clients   = { outsider = { platform = "ios", client_version = "10.2.0" } }
  }
  assert {
    condition     = output.versions == { "31000001" = ["0.0.0.1", "0.0.0.2"], "31000002" = ["0.0.0.1"], "31000003" = ["0.0.0.1"] }
    error_message = "The emulator should hold one new version, of 31000001, holds ${jsonencode(output.versions)}."
  }
  assert {
    condition     = alltrue([for id, tasks in output.active_releases : length(tasks) == 1 && tasks[0].type == "official" && tasks[0].version == (id == "31000001" ? "0.0.0.2" : "0.0.0.1")])
    error_message = "Each H5App should have one active official release, of 0.0.0.2 for 31000001, has ${jsonencode(output.active_releases)}."
  }
  assert {
    condition     = output.delivered.outsider == { "31000001" = "0.0.0.2", "31000002" = "0.0.0.1", "31000003" = "0.0.0.1" }
    error_message = "Clients should receive the new version of 31000001, receive ${jsonencode(output.delivered.outsider)}."
  }
}

# The same inputs again: every output is known at plan and equal to the last
# apply's, so nothing is replaced (the script's call counts show nothing was written).
run "no_op" {
  command = plan
  variables {
    stage     = "official"
    directory = "${var.packages}/release-train/v2"
    before    = run.changed_zip
  }
  assert {
    condition     = output.release_ids == var.before.release_ids && output.package_ids == var.before.package_ids && output.versions == var.before.versions
    error_message = "The same inputs should plan no change."
  }
}
