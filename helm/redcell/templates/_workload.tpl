{{/*
One component of Redcell: ServiceAccount, Service, Deployment, and its HPA and PDB when they apply.
Called with a dict: root, component (label and name suffix), args (of `redcell`), api (true: serves
HTTP on 8000 with its own /livez and /readyz; false: probes on 8080), values (its settings), roles
(database role keys), s3 (needs object storage), env (extra name/value pairs).
*/}}
{{- define "redcell.workload" -}}
{{- $root := .root -}}
{{- $s := include "redcell.settings" (dict "root" $root "values" .values) | fromJson -}}
{{- $name := printf "%s-%s" (include "redcell.fullname" $root) .component -}}
{{- $port := ternary "http" "probes" .api -}}
{{- $ctx := dict "root" $root "component" .component -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  labels:
    {{- include "redcell.labels" $ctx | nindent 4 }}
  {{- with $root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "redcell.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "redcell.selectorLabels" $ctx | nindent 4 }}
  ports:
    {{- if .api }}
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    {{- else }}
    - name: probes
      port: 8080
      targetPort: probes
      protocol: TCP
    {{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "redcell.labels" $ctx | nindent 4 }}
spec:
  {{- if not $s.autoscaling.enabled }}
  replicas: {{ $s.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "redcell.selectorLabels" $ctx | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  template:
    metadata:
      labels:
        {{- include "redcell.labels" $ctx | nindent 8 }}
      annotations:
        checksum/config: {{ include "redcell.configData" $root | sha256sum }}
        {{- with $s.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      {{- include "redcell.podSecurity" $root | nindent 6 }}
      terminationGracePeriodSeconds: 30
      {{- if $s.topologySpread.enabled }}
      topologySpreadConstraints:
        {{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
        - maxSkew: {{ $s.topologySpread.maxSkew }}
          topologyKey: {{ . }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "redcell.selectorLabels" $ctx | nindent 14 }}
        {{- end }}
      {{- end }}
      {{- with $s.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "redcell.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          envFrom:
            - configMapRef:
                name: {{ include "redcell.fullname" $root }}-config
          env:
            {{- include "redcell.secretEnv" (dict "root" $root "roles" .roles "s3" .s3) | nindent 12 }}
            {{- range .env }}
            - name: {{ .name }}
              value: {{ .value | quote }}
            {{- end }}
          ports:
            {{- if .api }}
            - name: http
              containerPort: 8000
              protocol: TCP
            {{- else }}
            - name: probes
              containerPort: 8080
              protocol: TCP
            {{- end }}
          startupProbe:
            httpGet: {path: /livez, port: {{ $port }}}
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /livez, port: {{ $port }}}
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /readyz, port: {{ $port }}}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml $s.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        {{- include "redcell.tmpVolume" $root | nindent 8 }}
{{- if $s.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "redcell.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $s.autoscaling.minReplicas }}
  maxReplicas: {{ $s.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $s.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if and $s.pdb.enabled (or $s.autoscaling.enabled (gt (int $s.replicaCount) 1)) }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "redcell.labels" $ctx | nindent 4 }}
spec:
  maxUnavailable: {{ $s.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "redcell.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- end -}}

{{/*
A worker's threads and processes (`redcell worker`: REDCELL_WORKER__THREADS, REDCELL_WORKER__PROCESSES), as a JSON
list of env entries. Several processes share the pod's CPU limit: give it about one core per process.
*/}}
{{- define "redcell.workerEnv" -}}
{{- list (dict "name" "REDCELL_WORKER__THREADS" "value" (.threads | default 4)) (dict "name" "REDCELL_WORKER__PROCESSES" "value" (.processes | default 1)) | toJson -}}
{{- end -}}
