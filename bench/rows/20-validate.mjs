// mesh validate throughput on a generated 10,000-document mixed Istio / Gateway API / core-kind file, next to a bare
// `parseAllDocuments(...).toJS()` of the same file with the yaml package; a one-file run vs `node -e 0`; and
// 1k/10k/100k documents split over files of 1,000 (about 600 KB each) with peak RSS, to show scaling.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const DOCUMENTS = 10_000;

/** Generated document `i` belongs to one of 50 team namespaces, eight documents in a row to a team. */
const team = (i) => `team-${Math.floor(i / 8) % 50}`;

/** apiVersion, kind and metadata (name, team namespace) of generated document `i`. */
function head(apiVersion, kind, name, i) {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${team(i)}
`;
}

function gateway(i) {
  return `${head("gateway.networking.k8s.io/v1", "Gateway", `gw-${i}`, i)}  labels:
    app.kubernetes.io/name: edge
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.${team(i)}.example.com"
    allowedRoutes:
      namespaces:
        from: Same
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.${team(i)}.example.com"
    tls:
      mode: Terminate
      certificateRefs:
      - name: cert-${i}
`;
}

function httpRoute(i) {
  return `${head("gateway.networking.k8s.io/v1", "HTTPRoute", `route-${i}`, i)}spec:
  parentRefs:
  - name: gw-${i - (i % 8)}
    sectionName: http
  hostnames:
  - app-${i}.${team(i)}.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/v${i % 3}
      headers:
      - name: x-version
        value: "${i % 7}"
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-route
          value: route-${i}
    backendRefs:
    - name: svc-${i}
      port: 8080
      weight: 90
    - name: svc-${i}-canary
      port: 8080
      weight: 10
    timeouts:
      request: 10s
`;
}

function virtualService(i) {
  return `${head("networking.istio.io/v1", "VirtualService", `vs-${i}`, i)}spec:
  hosts:
  - reviews-${i}.${team(i)}.svc.cluster.local
  http:
  - match:
    - headers:
        end-user:
          exact: jason
      uri:
        prefix: /reviews
    route:
    - destination:
        host: reviews-${i}
        subset: v2
    timeout: 5s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,connect-failure
  - route:
    - destination:
        host: reviews-${i}
        subset: v1
      weight: 75
    - destination:
        host: reviews-${i}
        subset: v3
      weight: 25
`;
}

function destinationRule(i) {
  return `${head("networking.istio.io/v1", "DestinationRule", `dr-${i}`, i)}spec:
  host: reviews-${i}
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
        connectTimeout: 30ms
    outlierDetection:
      consecutive5xxErrors: 7
      interval: 5m
      baseEjectionTime: 15m
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
`;
}

function deployment(i) {
  return `${head("apps/v1", "Deployment", `reviews-${i}`, i)}  labels:
    app: reviews-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: reviews-${i}
  template:
    metadata:
      labels:
        app: reviews-${i}
        version: v1
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 9080
          name: http
        env:
        - name: LOG_DIR
          value: /tmp/logs
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: "1"
            memory: 512Mi
        volumeMounts:
        - name: tmp
          mountPath: /tmp
      volumes:
      - name: tmp
        emptyDir: {}
`;
}

function service(i) {
  return `${head("v1", "Service", `reviews-${i}`, i)}  labels:
    app: reviews-${i}
spec:
  selector:
    app: reviews-${i}
  ports:
  - name: http
    port: 9080
    targetPort: 9080
`;
}

function configMap(i) {
  return `${head("v1", "ConfigMap", `settings-${i}`, i)}data:
  mode: production
  replicas: "3"
`;
}

const makers = [gateway, httpRoute, httpRoute, httpRoute, virtualService, destinationRule, virtualService, httpRoute];
// The same shape with a quarter of the documents core Kubernetes kinds, as a real CI manifest holds.
const makersWithCoreKinds = [gateway, httpRoute, deployment, service, virtualService, destinationRule, configMap, httpRoute];

export function generateCorpus(count, kinds = makers) {
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(kinds[i % kinds.length](i));
  return parts.join("---\n");
}

/** `documents` documents (with core kinds) in files of 1,000 under a new directory. */
function corpusDirectory(workDir, documents) {
  const directory = path.join(workDir, `validate-${documents}`);
  mkdirSync(directory);
  for (let start = 0; start < documents; start += 1000)
    writeFileSync(
      path.join(directory, `part-${String(start / 1000).padStart(3, "0")}.yaml`),
      generateCorpus(Math.min(1000, documents - start), makersWithCoreKinds),
    );
  return directory;
}

export function rows({ root, mesh, node, workDir }) {
  const big = path.join(workDir, "validate-10k.yaml");
  writeFileSync(big, generateCorpus(DOCUMENTS));
  const withCore = path.join(workDir, "validate-10k-core.yaml");
  writeFileSync(withCore, generateCorpus(DOCUMENTS, makersWithCoreKinds));
  const small = path.join(workDir, "validate-small.yaml");
  writeFileSync(small, generateCorpus(8));
  const parseScript =
    `const {parseAllDocuments}=await import(${JSON.stringify(path.join(root, "node_modules", "yaml", "dist", "index.js"))});` +
    `const t=(await import("node:fs")).readFileSync(${JSON.stringify(big)},"utf8");let n=0;for(const d of parseAllDocuments(t)){d.toJS();n++}`;
  const scaling = [1_000, 10_000, 100_000].map((documents) => ({
    name: `mesh validate ${documents / 1000}k documents in ${Math.ceil(documents / 1000)} files`,
    command: node,
    args: [mesh, "validate", "--summary", corpusDirectory(workDir, documents)],
    items: documents,
    itemName: "docs",
    rss: true,
    goalRssMb: documents === 100_000 ? 500 : undefined,
  }));
  return [
    {
      name: "mesh validate small.yaml (8 documents)",
      command: node,
      args: [mesh, "validate", small],
      baseline: { name: "node -e 0", command: node, args: ["-e", "0"] },
      goal: 1.5,
    },
    {
      name: "mesh validate 10k mixed documents (one file)",
      command: node,
      args: [mesh, "validate", "--summary", big],
      baseline: { name: "yaml parseAllDocuments().toJS()", command: node, args: ["--input-type=module", "-e", parseScript] },
      goal: 0.25,
      items: DOCUMENTS,
      itemName: "docs",
      rss: true,
    },
    {
      name: "mesh validate 10k mixed documents with core kinds",
      command: node,
      args: [mesh, "validate", "--summary", withCore],
      items: DOCUMENTS,
      itemName: "docs",
      rss: true,
    },
    ...scaling,
  ];
}
