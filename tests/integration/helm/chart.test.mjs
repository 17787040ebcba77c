// Offline checks of packaging/helm/avatar-renderer: `helm lint --strict`,
// `helm template` for the CPU and GPU value sets, every rendered object
// validated against the Kubernetes API schemas (kubernetes-models) and the
// ScaledObject against KEDA's CRD (@kubernetes-models/keda).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const chart = path.resolve(here, '../../../packaging/helm/avatar-renderer');
const helm = path.join(here, 'node_modules/.bin-layer/helm/helm');
const gpuValues = path.join(chart, 'values-gpu.yaml');

// The redis-streams scaler's metadata keys (KEDA docs, scalers/redis-streams).
const REDIS_STREAMS_KEYS = new Set([
  'address', 'addressFromEnv', 'host', 'hostFromEnv', 'port', 'portFromEnv', 'username',
  'usernameFromEnv', 'password', 'passwordFromEnv', 'stream', 'consumerGroup',
  'pendingEntriesCount', 'streamLength', 'lagCount', 'activationLagCount', 'databaseIndex',
  'enableTLS', 'unsafeSsl']);

function runHelm(...args) {
  return execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function render(...args) {
  const docs = parseAllDocuments(runHelm('template', 'avatar', chart, ...args));
  return docs.map((d) => d.toJS()).filter((o) => o && o.kind);
}

async function modelClass(obj) {
  const [group, version] = obj.apiVersion.includes('/')
    ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const module = group === 'keda.sh'
    ? `@kubernetes-models/keda/keda.sh/${version}/${obj.kind}`
    : `kubernetes-models/${group ? group + '/' : ''}${version}/${obj.kind}`;
  return (await import(module))[obj.kind];
}

async function validateAll(objects) {
  for (const obj of objects) {
    const Model = await modelClass(obj);
    assert.ok(Model, `no schema for ${obj.apiVersion} ${obj.kind}`);
    assert.doesNotThrow(() => new Model(obj).validate(), `${obj.kind} ${obj.metadata.name}`);
  }
}

const find = (objects, kind, suffix) =>
  objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix));

test('helm lint --strict passes for the CPU and GPU values', () => {
  runHelm('lint', '--strict', chart);
  runHelm('lint', '--strict', chart, '-f', gpuValues);
  runHelm('lint', '--strict', chart, '--set', 'api.ingress.enabled=true',
    '--set', 'persistence.models.type=init', '--set', 'persistence.models.initImage=models:1');
});

test('a broken object fails validation (the validator is live)', async () => {
  const objects = render();
  const deployment = structuredClone(find(objects, 'Deployment', '-worker'));
  deployment.spec.replicas = 'two';
  const Model = await modelClass(deployment);
  assert.throws(() => new Model(deployment).validate());
  const scaled = structuredClone(find(objects, 'ScaledObject', '-worker'));
  scaled.spec.minReplicaCount = 'none';
  const ScaledObject = await modelClass(scaled);
  assert.throws(() => new ScaledObject(scaled).validate());
});

test('CPU values: every object is valid; probes, security, scaling, grace', async () => {
  const objects = render();
  await validateAll(objects);
  const kinds = objects.map((o) => o.kind).sort();
  for (const k of ['Deployment', 'Service', 'ScaledObject', 'PodDisruptionBudget',
    'NetworkPolicy', 'Secret', 'PersistentVolumeClaim', 'ServiceAccount']) {
    assert.ok(kinds.includes(k), `missing ${k}: ${kinds}`);
  }
  const api = find(objects, 'Deployment', '-api').spec.template.spec;
  const worker = find(objects, 'Deployment', '-worker').spec.template.spec;
  const apiC = api.containers[0];
  assert.equal(apiC.args[0], 'serve');
  assert.ok(apiC.args.includes('--queue=$(AVATAR_REDIS_URL)'));
  assert.equal(apiC.livenessProbe.httpGet.path, '/health/live');
  assert.equal(apiC.readinessProbe.httpGet.path, '/health/ready');
  for (const spec of [api, worker]) {
    assert.equal(spec.securityContext.runAsNonRoot, true);
    assert.equal(spec.containers[0].securityContext.readOnlyRootFilesystem, true);
    assert.ok(spec.volumes.some((v) => v.name === 'data' && v.persistentVolumeClaim));
  }
  const w = worker.containers[0];
  assert.equal(w.args[0], 'worker');
  const grace = Number(w.args.find((a) => a.startsWith('--grace-sec=')).split('=')[1]);
  assert.ok(worker.terminationGracePeriodSeconds > grace);
  assert.equal(JSON.stringify(w.resources).includes('nvidia.com/gpu'), false);
  const so = find(objects, 'ScaledObject', '-worker').spec;
  assert.equal(so.minReplicaCount, 0);
  assert.equal(so.scaleTargetRef.name, find(objects, 'Deployment', '-worker').metadata.name);
  const trigger = so.triggers[0];
  assert.equal(trigger.type, 'redis-streams');
  assert.equal(trigger.metadata.lagCount, '1');
  assert.equal(trigger.metadata.stream, 'avatar:jobs');
  assert.equal(trigger.metadata.consumerGroup, 'renderers');
  for (const key of Object.keys(trigger.metadata)) {
    assert.ok(REDIS_STREAMS_KEYS.has(key), `unknown redis-streams parameter ${key}`);
  }
  // KEDA reads addressFromEnv from the scale target's container.
  assert.ok(w.env.some((e) => e.name === trigger.metadata.addressFromEnv));
  assert.equal(find(objects, 'PersistentVolumeClaim', '-data').spec.accessModes[0], 'ReadWriteMany');
});

test('GPU values: GPU limit, taint toleration, node selector, models volume', async () => {
  const objects = render('-f', gpuValues);
  await validateAll(objects);
  const worker = find(objects, 'Deployment', '-worker').spec.template.spec;
  const c = worker.containers[0];
  assert.equal(c.resources.limits['nvidia.com/gpu'], 1);
  assert.ok(c.args.includes('--device=cuda'));
  assert.ok(worker.tolerations.some((t) => t.key === 'nvidia.com/gpu' && t.effect === 'NoSchedule'));
  assert.equal(worker.nodeSelector['nvidia.com/gpu.present'], 'true');
  assert.ok(worker.volumes.some((v) => v.name === 'models' && v.persistentVolumeClaim));
  assert.ok(c.volumeMounts.some((m) => m.name === 'models' && m.readOnly));
  const api = find(objects, 'Deployment', '-api').spec.template.spec.containers[0];
  assert.equal(JSON.stringify(api.resources).includes('nvidia.com/gpu'), false);
});

test('an existing Redis secret, ingress and an init container for models', async () => {
  const objects = render('--set', 'redis.existingSecret=my-redis',
    '--set', 'redis.passwordSecret=my-redis-pw', '--set', 'api.ingress.enabled=true',
    '--set', 'persistence.models.type=init', '--set', 'persistence.models.initImage=models:1');
  await validateAll(objects);
  assert.equal(objects.some((o) => o.kind === 'Secret'), false);
  assert.ok(find(objects, 'Ingress', '-api'));
  const worker = find(objects, 'Deployment', '-worker').spec.template.spec;
  assert.equal(worker.initContainers[0].image, 'models:1');
  const env = worker.containers[0].env.find((e) => e.name === 'AVATAR_REDIS_URL');
  assert.equal(env.valueFrom.secretKeyRef.name, 'my-redis');
  const so = find(objects, 'ScaledObject', '-worker').spec;
  assert.equal(so.triggers[0].metadata.passwordFromEnv, 'REDIS_PASSWORD');
  assert.throws(() => render('--set', 'redis.url='));  // a URL or a secret is required
});
