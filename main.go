package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/processenv"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/provider"
)

// version is stamped at build time with -ldflags "-X main.version=x.y.z" by
// `make install` (GNUmakefile) and the release build (.goreleaser.yml); the
// provider sends it in its User-Agent.
var version = "dev"

// Generate the docs from schema descriptions, examples and templates.
//go:generate go tool tfplugindocs generate --provider-name mpaas

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	processenv.QuietSDKLogsUnlessAsked()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/mpaas-tf/mpaas",
		Debug:   debug,
	}
	stopProfiles, err := processenv.StartProfiles(os.Getenv, os.Getpid())
	if err != nil {
		log.Fatal(err.Error())
	}
	err = providerserver.Serve(context.Background(), provider.New(version), opts)
	if stopErr := stopProfiles(); stopErr != nil {
		log.Print(stopErr.Error())
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}
