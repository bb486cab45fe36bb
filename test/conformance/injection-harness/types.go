package main

// Mirrors of the Go types istiod hands an injection template (docs/design/injection.md §2.1). Field names are the
// upstream Go names, so a template that reads a field istiod does not have fails here as it would there.
// Only the fields a template may reasonably read are mirrored; a template reading any other field fails
// in this harness, which is the safe direction.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

type NamespacedName struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

type OwnerReference struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	UID        string `json:"uid,omitempty"`
	Controller *bool  `json:"controller,omitempty"`
}

type ObjectMeta struct {
	Name            string            `json:"name,omitempty"`
	GenerateName    string            `json:"generateName,omitempty"`
	Namespace       string            `json:"namespace,omitempty"`
	UID             string            `json:"uid,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
	Annotations     map[string]string `json:"annotations,omitempty"`
	OwnerReferences []OwnerReference  `json:"ownerReferences,omitempty"`
}

type ContainerPort struct {
	Name          string `json:"name,omitempty"`
	HostPort      int32  `json:"hostPort,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
	HostIP        string `json:"hostIP,omitempty"`
}

type Container struct {
	Name            string                 `json:"name"`
	Image           string                 `json:"image,omitempty"`
	Command         []string               `json:"command,omitempty"`
	Args            []string               `json:"args,omitempty"`
	Ports           []ContainerPort        `json:"ports,omitempty"`
	Env             []interface{}          `json:"env,omitempty"`
	Resources       map[string]interface{} `json:"resources,omitempty"`
	SecurityContext map[string]interface{} `json:"securityContext,omitempty"`
	ReadinessProbe  map[string]interface{} `json:"readinessProbe,omitempty"`
	LivenessProbe   map[string]interface{} `json:"livenessProbe,omitempty"`
	StartupProbe    map[string]interface{} `json:"startupProbe,omitempty"`
}

type PodSpec struct {
	Containers         []Container            `json:"containers"`
	InitContainers     []Container            `json:"initContainers,omitempty"`
	Volumes            []interface{}          `json:"volumes,omitempty"`
	ServiceAccountName string                 `json:"serviceAccountName,omitempty"`
	NodeName           string                 `json:"nodeName,omitempty"`
	HostNetwork        bool                   `json:"hostNetwork,omitempty"`
	SecurityContext    map[string]interface{} `json:"securityContext,omitempty"`
	ImagePullSecrets   []interface{}          `json:"imagePullSecrets,omitempty"`
}

// ---- protobuf-shaped types (ProxyConfig, MeshConfig) --------------------------------------------------

type BoolValue struct{ Value bool }

func (b *BoolValue) GetValue() bool {
	if b == nil {
		return false
	}
	return b.Value
}
func (b *BoolValue) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &b.Value) }
func (b BoolValue) MarshalJSON() ([]byte, error)     { return json.Marshal(b.Value) }

type Int32Value struct{ Value int32 }

func (i *Int32Value) GetValue() int32 {
	if i == nil {
		return 0
	}
	return i.Value
}
func (i *Int32Value) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &i.Value) }
func (i Int32Value) MarshalJSON() ([]byte, error)     { return json.Marshal(i.Value) }

// Duration mirrors google.protobuf.Duration (JSON form "45s").
type Duration struct{ Seconds int64 }

func (d *Duration) GetSeconds() int64 {
	if d == nil {
		return 0
	}
	return d.Seconds
}
func (d *Duration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	parsed, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Seconds = int64(parsed / time.Second)
	return nil
}
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(fmt.Sprintf("%ds", d.Seconds)) }

type InterceptionMode int32

const (
	InterceptionRedirect InterceptionMode = 0
	InterceptionTproxy   InterceptionMode = 1
	InterceptionNone     InterceptionMode = 2
)

var interceptionNames = []string{"REDIRECT", "TPROXY", "NONE"}

func (m InterceptionMode) String() string {
	if int(m) < len(interceptionNames) && m >= 0 {
		return interceptionNames[m]
	}
	return fmt.Sprint(int32(m))
}
func (m InterceptionMode) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }
func (m *InterceptionMode) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	for i, name := range interceptionNames {
		if strings.EqualFold(name, s) {
			*m = InterceptionMode(i)
			return nil
		}
	}
	return fmt.Errorf("unknown interception mode %q", s)
}

type ProxyImage struct {
	ImageType string `json:"imageType,omitempty"`
}

func (p *ProxyImage) GetImageType() string {
	if p == nil {
		return ""
	}
	return p.ImageType
}

type ProxyConfig struct {
	ConfigPath                      string                 `json:"configPath,omitempty"`
	BinaryPath                      string                 `json:"binaryPath,omitempty"`
	ServiceCluster                  string                 `json:"serviceCluster,omitempty"`
	DrainDuration                   *Duration              `json:"drainDuration,omitempty"`
	TerminationDrainDuration        *Duration              `json:"terminationDrainDuration,omitempty"`
	DiscoveryAddress                string                 `json:"discoveryAddress,omitempty"`
	StatNameLength                  int32                  `json:"statNameLength,omitempty"`
	ProxyAdminPort                  int32                  `json:"proxyAdminPort,omitempty"`
	StatusPort                      int32                  `json:"statusPort,omitempty"`
	Concurrency                     *Int32Value            `json:"concurrency,omitempty"`
	InterceptionMode                InterceptionMode       `json:"interceptionMode,omitempty"`
	ProxyMetadata                   map[string]string      `json:"proxyMetadata,omitempty"`
	HoldApplicationUntilProxyStarts *BoolValue             `json:"holdApplicationUntilProxyStarts,omitempty"`
	Image                           *ProxyImage            `json:"image,omitempty"`
	Tracing                         map[string]interface{} `json:"tracing,omitempty"`
	MeshId                          string                 `json:"meshId,omitempty"`
}

func (p *ProxyConfig) GetInterceptionMode() InterceptionMode {
	if p == nil {
		return InterceptionRedirect
	}
	return p.InterceptionMode
}
func (p *ProxyConfig) GetProxyMetadata() map[string]string {
	if p == nil {
		return nil
	}
	return p.ProxyMetadata
}
func (p *ProxyConfig) GetHoldApplicationUntilProxyStarts() *BoolValue {
	if p == nil {
		return nil
	}
	return p.HoldApplicationUntilProxyStarts
}
func (p *ProxyConfig) GetStatusPort() int32 {
	if p == nil {
		return 0
	}
	return p.StatusPort
}
func (p *ProxyConfig) GetDiscoveryAddress() string {
	if p == nil {
		return ""
	}
	return p.DiscoveryAddress
}
func (p *ProxyConfig) GetImage() *ProxyImage {
	if p == nil {
		return nil
	}
	return p.Image
}
func (p *ProxyConfig) GetConcurrency() *Int32Value {
	if p == nil {
		return nil
	}
	return p.Concurrency
}

type InboundTrafficPolicy struct {
	Mode int32 `json:"-"`
}

func (p *InboundTrafficPolicy) UnmarshalJSON(data []byte) error {
	var raw struct {
		Mode string `json:"mode"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if strings.EqualFold(raw.Mode, "LOCALHOST") {
		p.Mode = 1
	}
	return nil
}

type MeshConfig struct {
	ProxyListenPort        int32                 `json:"proxyListenPort,omitempty"`
	ProxyInboundListenPort int32                 `json:"proxyInboundListenPort,omitempty"`
	ProxyHttpPort          int32                 `json:"proxyHttpPort,omitempty"`
	TrustDomain            string                `json:"trustDomain,omitempty"`
	TrustDomainAliases     []string              `json:"trustDomainAliases,omitempty"`
	RootNamespace          string                `json:"rootNamespace,omitempty"`
	AccessLogFile          string                `json:"accessLogFile,omitempty"`
	EnablePrometheusMerge  *BoolValue            `json:"enablePrometheusMerge,omitempty"`
	DefaultConfig          *ProxyConfig          `json:"defaultConfig,omitempty"`
	InboundTrafficPolicy   *InboundTrafficPolicy `json:"inboundTrafficPolicy,omitempty"`
	ExtensionProviders     []interface{}         `json:"extensionProviders,omitempty"`
}

func (m *MeshConfig) GetTrustDomain() string {
	if m == nil {
		return ""
	}
	return m.TrustDomain
}
func (m *MeshConfig) GetDefaultConfig() *ProxyConfig {
	if m == nil {
		return nil
	}
	return m.DefaultConfig
}
func (m *MeshConfig) GetProxyListenPort() int32 {
	if m == nil {
		return 0
	}
	return m.ProxyListenPort
}
func (m *MeshConfig) GetProxyInboundListenPort() int32 {
	if m == nil {
		return 0
	}
	return m.ProxyInboundListenPort
}
func (m *MeshConfig) GetEnablePrometheusMerge() *BoolValue {
	if m == nil {
		return nil
	}
	return m.EnablePrometheusMerge
}

// ---- the two data contexts ----------------------------------------------------------------------------

// SidecarTemplateData is what the webhook renders `sidecar`, `gateway`, `grpc-*` with (§2.1).
type SidecarTemplateData struct {
	TypeMeta                 TypeMeta
	DeploymentMeta           NamespacedName
	ObjectMeta               ObjectMeta
	Spec                     PodSpec
	ProxyConfig              *ProxyConfig
	MeshConfig               *MeshConfig
	Values                   map[string]interface{}
	Revision                 string
	NativeSidecars           bool
	ProxyImage               string
	ProxyUID                 int64
	ProxyGID                 int64
	InboundTrafficPolicyMode string
	CompliancePolicy         string
}

type GatewayListener struct {
	Name     string `json:"name"`
	Port     int32  `json:"port"`
	Protocol string `json:"protocol"`
	Hostname string `json:"hostname,omitempty"`
}

type GatewaySpecAddress struct {
	Type  *string `json:"type,omitempty"`
	Value string  `json:"value"`
}

type GatewaySpec struct {
	GatewayClassName string               `json:"gatewayClassName"`
	Listeners        []GatewayListener    `json:"listeners"`
	Addresses        []GatewaySpecAddress `json:"addresses,omitempty"`
}

// Gateway mirrors the Gateway API object embedded in the deployment controller's input: its ObjectMeta
// fields are promoted, so a template reads `.Name`, `.Namespace`, `.UID`, `.Spec.GatewayClassName`.
type Gateway struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       GatewaySpec `json:"spec"`
}

type ServicePort struct {
	Name        string  `json:"name,omitempty"`
	Protocol    string  `json:"protocol,omitempty"`
	AppProtocol *string `json:"appProtocol,omitempty"`
	Port        int32   `json:"port"`
	TargetPort  int32   `json:"targetPort,omitempty"`
	NodePort    int32   `json:"nodePort,omitempty"`
}

// GatewayTemplateData is what istiod's Gateway API deployment controller renders `kube-gateway` and
// `waypoint` with: the Gateway (embedded) plus derived fields, plus the injector's config.
type GatewayTemplateData struct {
	*Gateway
	DeploymentName            string
	ServiceAccount            string
	Ports                     []ServicePort
	ServiceType               string
	ClusterID                 string
	KubeVersion               int
	Revision                  string
	ProxyUID                  int64
	ProxyGID                  int64
	CompliancePolicy          string
	InfrastructureLabels      map[string]string
	InfrastructureAnnotations map[string]string
	GatewayNameLabel          string
	IsEastWestGateway         bool
	ControllerLabel           string
	GatewayClass              string
	ProxyImage                string
	AgentgatewayImage         string
	ProxyConfig               *ProxyConfig
	MeshConfig                *MeshConfig
	Values                    map[string]interface{}
}
