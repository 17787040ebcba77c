{{/* Names and labels shared by every object. */}}
{{- define "avatar.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "avatar.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "avatar.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "avatar.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "avatar.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "avatar.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "avatar.redisSecretName" -}}
{{- default (printf "%s-redis" (include "avatar.fullname" .)) .Values.redis.existingSecret -}}
{{- end -}}

{{- define "avatar.dataClaim" -}}
{{- default (printf "%s-data" (include "avatar.fullname" .)) .Values.persistence.data.existingClaim -}}
{{- end -}}

{{- define "avatar.modelsClaim" -}}
{{- default (printf "%s-models" (include "avatar.fullname" .)) .Values.persistence.models.existingClaim -}}
{{- end -}}

{{/* Environment both components need: the Redis URL (and password for KEDA). */}}
{{- define "avatar.redisEnv" -}}
- name: AVATAR_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "avatar.redisSecretName" . }}
      key: {{ .Values.redis.existingSecretKey }}
- name: REDIS_ADDRESS
  value: {{ .Values.redis.address | quote }}
{{- if .Values.redis.passwordSecret }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.passwordSecret }}
      key: {{ .Values.redis.passwordSecretKey }}
{{- end }}
- name: HOME
  value: /tmp
{{- end -}}

{{- define "avatar.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
{{- if ne .Values.persistence.models.type "none" }}
- name: models
  mountPath: /models/weights
  readOnly: true
{{- end }}
{{- end -}}

{{- define "avatar.volumes" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "avatar.dataClaim" . }}
- name: tmp
  emptyDir: {}
{{- if eq .Values.persistence.models.type "pvc" }}
- name: models
  persistentVolumeClaim:
    claimName: {{ include "avatar.modelsClaim" . }}
    readOnly: true
{{- else if eq .Values.persistence.models.type "init" }}
- name: models
  emptyDir: {}
{{- end }}
{{- end -}}

{{- define "avatar.modelsInit" -}}
{{- if eq .Values.persistence.models.type "init" }}
initContainers:
  - name: models
    image: {{ required "persistence.models.initImage is required with type init" .Values.persistence.models.initImage }}
    command: ["sh", "-c", "cp -a {{ .Values.persistence.models.initPath }}/. /models-out/"]
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    volumeMounts:
      - name: models
        mountPath: /models-out
{{- end }}
{{- end -}}
