// Package centralita holds the project's contract files, so that the binary
// serves exactly the spec that tests check the code against.
package centralita

import _ "embed"

// OpenAPI is openapi.yaml, the REST contract, served at GET /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
