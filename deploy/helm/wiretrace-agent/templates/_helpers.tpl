{{/* Names and labels shared by the chart's objects. */}}
{{- define "wiretrace-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wiretrace-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "wiretrace-agent.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "wiretrace-agent.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "wiretrace-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wiretrace-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "wiretrace-agent.labels" -}}
{{ include "wiretrace-agent.selectorLabels" . }}
app.kubernetes.io/part-of: wiretrace
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "wiretrace-agent.tokenSecret" -}}
{{- .Values.token.existingSecret | default (printf "%s-token" (include "wiretrace-agent.fullname" .)) }}
{{- end }}
