{{/* Names ---------------------------------------------------------------------------------------- */}}
{{- define "redcell.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "redcell.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "redcell.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "redcell.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels: selectors never include the version, so an image change does not orphan pods. ------ */}}
{{- define "redcell.selectorLabels" -}}
app.kubernetes.io/name: {{ include "redcell.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "redcell.labels" -}}
{{ include "redcell.selectorLabels" . }}
app.kubernetes.io/part-of: redcell
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "redcell.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{/* Components with a database: the gateway and every enabled service without `database: false`. */}}
{{- define "redcell.databaseComponents" -}}
{{- $names := list "gateway" -}}
{{- range $name, $service := .Values.services -}}
{{- if and $service.enabled (include "redcell.hasDatabase" $service) -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* "true" unless the service entry says `database: false` (then: no database, relay or migration Job). */}}
{{- define "redcell.hasDatabase" -}}
{{- if ne (toString (get . "database")) "false" -}}true{{- end -}}
{{- end -}}

{{/* The component a service calls by name: the gateway itself, or another service's API. */}}
{{- define "redcell.calledComponent" -}}
{{- if eq . "gateway" -}}gateway{{- else -}}{{ printf "%s-api" . }}{{- end -}}
{{- end -}}

{{/* A component's settings: the chart-wide defaults, then its own values on top. */}}
{{- define "redcell.settings" -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy (.values | default dict)) -}}
{{- toJson $merged -}}
{{- end -}}

{{/* Non-secret configuration shared by every process (the ConfigMap's data, also its checksum). */}}
{{- define "redcell.configData" -}}
{{- $full := include "redcell.fullname" . -}}
REDCELL_ENV: {{ .Values.config.env | quote }}
REDCELL_LOG_JSON: "true"
REDCELL_LOG_LEVEL: {{ .Values.config.logLevel | quote }}
REDCELL_HOST: "0.0.0.0"
REDCELL_PG__HOST: {{ .Values.postgres.host | quote }}
REDCELL_PG__PORT: {{ .Values.postgres.port | quote }}
{{- include "redcell.cellsEnv" . }}
REDCELL_S3__ENDPOINT: {{ .Values.s3.endpoint | quote }}
REDCELL_S3__SECURE: {{ .Values.s3.secure | quote }}
REDCELL_S3__REGION: {{ .Values.s3.region | quote }}
REDCELL_S3__BUCKET: {{ .Values.s3.bucket | quote }}
REDCELL_JWT__ISSUER: {{ .Values.config.jwt.issuer | quote }}
REDCELL_JWT__AUDIENCE: {{ .Values.config.jwt.audience | quote }}
REDCELL_JWT__ACCESS_TTL_S: {{ .Values.config.jwt.accessTtlSeconds | quote }}
REDCELL_JWT__JWKS_URL: {{ printf "http://%s-gateway/.well-known/jwks.json" $full | quote }}
REDCELL_PROBE_PORT: "8080"
{{- range $name, $value := .Values.config.extraEnv }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Secret environment: a password per database role the process uses, and what every process needs. */}}
{{- define "redcell.secretEnv" -}}
{{- $root := .root -}}
- name: REDCELL_MASTER_KEY
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.masterKey.existingSecret }}, key: master-key}
- name: REDCELL_REDIS__URL
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.redis.existingSecret }}, key: url}
{{- if .s3 }}
- name: REDCELL_S3__ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.s3.existingSecret }}, key: access-key}
- name: REDCELL_S3__SECRET_KEY
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.s3.existingSecret }}, key: secret-key}
{{- end }}
{{- range .roles }}
- name: {{ printf "REDCELL_PG__PASSWORDS__%s" (. | replace "-" "_" | upper) }}
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.postgres.existingSecret }}, key: {{ . }}}
{{- end }}
{{- end -}}

{{- define "redcell.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "redcell.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}

{{/* The further PostgreSQL clusters (database cells, docs/scaling.md) beside `postgres`, as ConfigMap lines. */}}
{{- define "redcell.cellsEnv" -}}
{{- range .Values.postgres.cells }}
{{ printf "REDCELL_CELLS__%s__HOST" .name }}: {{ .host | quote }}
{{ printf "REDCELL_CELLS__%s__PORT" .name }}: {{ .port | default 5432 | quote }}
{{- end }}
{{- end -}}
