package processenv

import "os"

// logVariables are the environment variables that ask Terraform or the
// plugin SDK for logs. When none is set, Terraform discards whatever a
// provider writes to its log, but terraform-plugin-log's SDK loggers still
// format every framework and protocol trace line as JSON and Terraform still
// reads each one from the plugin's stderr before dropping it: a few seconds
// of CPU on both sides for a thousand packages (tools/bench/results.md).
var logVariables = []string{
	"TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_MPAAS",
	"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
}

// sdkLogVariables are switched off when nobody asked for logs.
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"}

// QuietSDKLogsUnlessAsked turns the SDK's trace logging off when no log
// variable is set, and leaves everything as it is when any is.
func QuietSDKLogsUnlessAsked() {
	for _, name := range logVariables {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range sdkLogVariables {
		_ = os.Setenv(name, "off")
	}
}
