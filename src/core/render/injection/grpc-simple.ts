// The `grpc-simple` injection template (opt-in: `inject.istio.io/templates: grpc-simple`), proxyless gRPC with
// nothing of Istio running in the pod (docs/design/injection.md §1.12). An init container writes a gRPC xDS
// bootstrap that points the application's gRPC library at istiod's plaintext XDS port; every application
// container gets `GRPC_XDS_BOOTSTRAP`, gRPC's debug logging and the bootstrap volume. No certificates: traffic
// and the XDS connection are plaintext (`grpc-agent` is the variant with an agent and mTLS).
import { at, downwardEnv, valuesPrelude } from "./fragments.js";

const bootstrapDir = "/var/lib/grpc/data";
const bootstrapVolume = "grpc-io-proxyless-bootstrap";

// The node id follows istiod's `type~ip~id~domain` form; GENERATOR=grpc makes istiod answer with the resources
// gRPC's xDS client understands. The heredoc expands the env variables the init container is given.
const writeBootstrap = String.raw`cat > "$GRPC_XDS_BOOTSTRAP" <<EOF
{
  "xds_servers": [
    {
      "server_uri": "dns:///$XDS_ADDRESS",
      "channel_creds": [{"type": "insecure"}],
      "server_features": ["xds_v3"]
    }
  ],
  "node": {
    "id": "sidecar~$INSTANCE_IP~$POD_NAME.$POD_NAMESPACE~$CLUSTER_DOMAIN",
    "metadata": {"GENERATOR": "grpc"}
  }
}
EOF`;

export const grpcSimpleTemplate = String.raw`{{- /* mesh grpc-simple template (istio 1.30 data context) */ -}}
${valuesPrelude}
metadata:
  annotations:
    {{- /* no agent in the pod, so nothing could answer rewritten probes */}}
    sidecar.istio.io/rewriteAppHTTPProbers: "false"
spec:
  initContainers:
  - name: grpc-bootstrap-init
    image: busybox:1.28
    volumeMounts:
    - name: ${bootstrapVolume}
      mountPath: ${bootstrapDir}/
    env:
${at(4, downwardEnv("INSTANCE_IP", "status.podIP"))}
${at(4, downwardEnv("POD_NAME", "metadata.name"))}
${at(4, downwardEnv("POD_NAMESPACE", "metadata.namespace"))}
    - name: XDS_ADDRESS
      value: {{ printf "%s.%s.svc:15010" $istiodName ($g.istioNamespace | default "istio-system") | quote }}
    - name: CLUSTER_DOMAIN
      value: {{ $clusterDomain | quote }}
    - name: GRPC_XDS_BOOTSTRAP
      value: ${bootstrapDir}/bootstrap.json
    command:
    - sh
    - -c
    - |-
${at(6, writeBootstrap)}
  containers:
  {{- range .Spec.Containers }}
  - name: {{ .Name | quote }}
    env:
    - name: GRPC_XDS_BOOTSTRAP
      value: ${bootstrapDir}/bootstrap.json
    - name: GRPC_GO_LOG_VERBOSITY_LEVEL
      value: "99"
    - name: GRPC_GO_LOG_SEVERITY_LEVEL
      value: info
    volumeMounts:
    - name: ${bootstrapVolume}
      mountPath: ${bootstrapDir}/
  {{- end }}
  volumes:
  - name: ${bootstrapVolume}
    emptyDir: {}
`;
