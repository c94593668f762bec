// Package mpaas is a typed Go client for the mPaaS OpenAPI (version
// 2020-10-28, RPC style) as far as HTML5 offline packages need it: H5Apps,
// their package versions ("NebulaResource" on the wire), release tasks
// ("NebulaTask"), file tokens and the OSS upload, the workspace's virtual
// domain, the RSA signing key and whitelists. It imports nothing from
// Terraform (depguard enforces it), so any Go program can use it; the
// provider adapts it, the emulator shares its action names and signing.
//
// Where things are:
//
//   - Client and Config (client.go) hold the credentials, the scope (AppId,
//     WorkspaceId, TenantId) and the transport tuning; endpoint.go turns a
//     region or URL into the endpoint.
//   - transport.go sends one action: signing (sign.go, V3 or V1), retries of
//     reads and throttled requests, the success rule of an answer, and the
//     APIError or InvalidResponseError (errors.go) of a failure.
//   - The methods, one file per concept: apps.go (ListApps, FindApp,
//     EnsureApp, DeleteApp), packages.go (ListPackages, GetPackage),
//     package_create.go (CreatePackage: register once, adopt what an
//     ambiguous failure left), releases.go (release tasks), upload.go and
//     upload_grant.go (UploadFile, file tokens shared while valid), vhost.go
//     (virtual domain, RSA key), whitelists.go. paging.go follows list pages;
//     idempotent.go makes a create safe to send again.
//   - The wire: action names and API versions (enums.go, whitelists_wire.go
//     for the whitelist actions), the unexported request and response
//     models (wire.go, whitelists_wire.go, wire_progress.go) whose keys are
//     the official SDK's, the status of each answer (wire_status.go), the
//     lenient scalars every answer is decoded with (lenient.go), and the
//     fields a read may fail to understand (decode.go).
//   - The domain types callers see (App, Package, Release, Whitelist, the
//     enums of enums.go) are plain Go values with int64 IDs.
//
// What is verified and what is guessed: action names and versions,
// parameter and response keys, both signatures and the success rule agree
// with the official SDKs. Every guess about the wire format (codes, labels,
// formats, defaults) lives in inferred.go, each marked [INFERRED] with its
// reason, so that a correction against the live service is a change there
// only; grey_config.go, targets_wire.go and service_times.go apply those
// guesses at length. Guesses about behaviour rather than wire format are
// described where they are used: FindApp takes Keyword only as a hint,
// CreatePackage identifies a package by the list's Md5 and FileSize (in
// bytes or KB, ReportedSizeMatches) of the uploaded zip, CreateRelease a
// task by memo, type and mode. DESIGN.md section 6 lists them all.
package mpaas
