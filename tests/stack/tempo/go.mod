// Builds the pinned Tempo release (v2.10.8, commit f0f3ed59197b) from the Go module proxy:
// `go build github.com/grafana/tempo/cmd/tempo` here. Tempo's go.mod has no /v2 suffix, so its v2 tags
// are reachable only as this pseudo-version. The replace lines repeat the release's own.
module wiretrace.local/stack/tempo

go 1.26.5

require github.com/grafana/tempo v1.5.1-0.20260813170847-f0f3ed59197b

replace (
	k8s.io/api => k8s.io/api v0.36.0
	k8s.io/client-go => k8s.io/client-go v0.36.0
)

replace github.com/hashicorp/memberlist => github.com/grafana/memberlist v0.3.1-0.20260410131411-8c2f3bdae9db
