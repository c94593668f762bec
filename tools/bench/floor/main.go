// Command terraform-provider-floor is the benchmark's floor (tools/bench/bench.sh):
// the least a Terraform plugin must do to take a folder of zips into a service.
// It is built on terraform-plugin-framework like the real provider, and its one
// resource, floor_file, does only this:
//
//   - Create streams the file once through SHA-256 into an HTTP POST to the
//     sink (tools/bench/floor/sink), which discards the body, and records the
//     digest as sha256. With FLOOR_ROUND_TRIPS=3 (the benchmark's far mode)
//     it makes the minimal protocol's three round trips, one after the
//     other: a POST for an upload grant, that upload, a POST that registers
//     the file.
//   - Read makes one HTTP GET to the sink.
//   - Nothing else: no zip inspection, no signing, no retries.
//
// The sink's URL comes from the provider's endpoint argument or FLOOR_SINK_URL.
// Terraform reaches the binary through dev_overrides as mpaas-tf/floor.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

func main() {
	opts := providerserver.ServeOpts{Address: "registry.terraform.io/mpaas-tf/floor"}
	if err := providerserver.Serve(context.Background(), newProvider, opts); err != nil {
		log.Fatal(err.Error())
	}
}
