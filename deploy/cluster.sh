#!/usr/bin/env bash
# The several-machines profile (docs/production.md) on one machine, on
# loopback: PostgreSQL primary + streaming replica, Redis, an S3-compatible
# object store (moto's server mode), two gunicorn app servers, two task
# workers (RQ), HAProxy in front of the app servers and Varnish in front of
# HAProxy.
#
#   deploy/cluster.sh start            (make cluster)       start everything, print the URL
#   deploy/cluster.sh stop             (make cluster-stop)  stop exactly what start started
#   deploy/cluster.sh status           what runs
#   deploy/cluster.sh stop-service  NAME   stop one part (the fault tests)
#   deploy/cluster.sh start-service NAME   start it again
#   deploy/cluster.sh env              the app servers' environment (shell syntax)
#
# NAME: primary replica redis s3 app1 app2 worker1 worker2 haproxy varnish.
# Environment: CLUSTER_STATE (state folder, default /tmp/socialsite-cluster),
# CLUSTER_PORT (first of ten HTTP ports, default 8400), CLUSTER_PG_PORT
# (primary; the replica takes +1, default 5440), CLUSTER_REDIS_PORT (6390),
# CLUSTER_PYTHON (the virtualenv's python, default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

STATE=${CLUSTER_STATE:-/tmp/socialsite-cluster}
PORT=${CLUSTER_PORT:-8400}
VARNISH_PORT=$PORT
HAPROXY_PORT=$((PORT + 1))
APP1_PORT=$((PORT + 2))
APP2_PORT=$((PORT + 3))
S3_PORT=$((PORT + 4))
VARNISH_ADMIN_PORT=$((PORT + 9))
PG_PORT=${CLUSTER_PG_PORT:-5440}
REPLICA_PORT=$((PG_PORT + 1))
REDIS_PORT=${CLUSTER_REDIS_PORT:-6390}
PY=${CLUSTER_PYTHON:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PIDS=$STATE/pids
LOGS=$STATE/logs
DB=socialsite
URL=http://127.0.0.1:$VARNISH_PORT

say() { printf '==> %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# PostgreSQL refuses to run as root: its commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {  # wait_port PORT NAME [SECONDS]
  for _ in $(seq $((${3:-30} * 10))); do
    port_free "$1" || return 0
    sleep 0.1
  done
  die "$2 did not start on port $1 (see $LOGS/$2.log)"
}

write_env() {
  local secret
  secret=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
  cat >"$STATE/env" <<EOF
export DJANGO_SETTINGS_MODULE=socialsite.settings.production
export SECRET_KEY=$secret
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB
export REPLICA_DATABASE_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB
export REPLICA_MAX_LAG=2
export REPLICA_CHECK_INTERVAL=1
export REPLICA_DEBUG_HEADER=1
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TASKS_BACKEND=rq
export TASKS_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/1
export AWS_STORAGE_BUCKET_NAME=socialsite-media
export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_S3_REGION_NAME=us-east-1
export AWS_S3_URL_PROTOCOL=http:
export AWS_ACCESS_KEY_ID=cluster
export AWS_SECRET_ACCESS_KEY=cluster
export WAGTAILFRONTENDCACHE_HTTP_LOCATION=$URL
export WAGTAILADMIN_BASE_URL=$URL
export ALLAUTH_TRUSTED_PROXY_COUNT=2
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH=$STATE/mail
export STATIC_ROOT=$STATE/static
export LOG_LEVEL=WARNING
# Plain HTTP on loopback: no TLS proxy in front here.
export SECURE_SSL_REDIRECT=0
export SECURE_HSTS_SECONDS=0
export SESSION_COOKIE_SECURE=0
export CSRF_COOKIE_SECURE=0
export LANGUAGE_COOKIE_SECURE=0
EOF
}

record() { echo "$1 $2" >>"$PIDS"; }
pid_of() {
  if [ -f "$PIDS" ]; then awk -v n="$1" '$1 == n { p = $2 } END { if (p) print p }' "$PIDS"; fi
}
forget() {
  if [ -f "$PIDS" ]; then
    grep -v "^$1 " "$PIDS" >"$PIDS.new" || true
    mv "$PIDS.new" "$PIDS"
  fi
}

# run NAME COMMAND...: a process of its own (own session), logged, recorded.
run() {
  local name=$1
  shift
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  record "$name" $!
}

start_service() {
  # shellcheck disable=SC1091
  . "$STATE/env"
  case $1 in
    primary | replica)
      local data=$STATE/pg/$1
      as_pg "$PGBIN/pg_ctl" -D "$data" -l "$LOGS/$1.log" -w -t 60 start >/dev/null
      record "$1" "$(head -n 1 "$data/postmaster.pid")"
      ;;
    redis)
      run redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" \
        --appendonly yes --appendfsync always --dir "$STATE/redis" \
        --maxmemory 256mb --maxmemory-policy volatile-lru
      wait_port "$REDIS_PORT" redis
      ;;
    s3)
      run s3 "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT"
      wait_port "$S3_PORT" s3
      ;;
    app1 | app2)
      local port=$APP1_PORT
      [ "$1" = app2 ] && port=$APP2_PORT
      run "$1" "$BIN/gunicorn" socialsite.wsgi --chdir "$ROOT" \
        --bind "127.0.0.1:$port" --workers 2 --threads 4 --timeout 60 \
        --graceful-timeout 20 --preload --no-control-socket \
        --access-logfile "$LOGS/$1-access.log"
      # gunicorn loads the app (--preload) before it listens: minutes on a
      # busy machine.
      wait_port "$port" "$1" 300
      for _ in $(seq 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/robots.txt")" = 200 ] && break
        sleep 1
      done
      ;;
    worker1 | worker2)
      (cd "$ROOT" && run "$1" "$PY" manage.py rqworker --job-class django_tasks_rq.Job \
        --worker-class socialsite.rq.Worker --worker-ttl 45 --with-scheduler --name "socialsite-$1-$$-$RANDOM" default)
      ;;
    haproxy)
      HAPROXY_BIND=127.0.0.1:$HAPROXY_PORT APP1=127.0.0.1:$APP1_PORT \
        APP2=127.0.0.1:$APP2_PORT run haproxy haproxy -db -f "$ROOT/deploy/haproxy.cfg"
      wait_port "$HAPROXY_PORT" haproxy
      ;;
    varnish)
      # The VCL and its backend next to each other, readable by varnish's user.
      mkdir -p "$STATE/varnish"
      cp "$ROOT/deploy/default.vcl" "$STATE/varnish/default.vcl"
      cat >"$STATE/varnish/backend.vcl" <<EOF
backend default {
    .host = "127.0.0.1";
    .port = "$HAPROXY_PORT";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}
acl purgers {
    "127.0.0.1";
}
EOF
      chmod -R a+rX "$STATE/varnish"
      run varnish varnishd -F -n "$STATE/varnish/work" -a "127.0.0.1:$VARNISH_PORT" \
        -T "127.0.0.1:$VARNISH_ADMIN_PORT" -f "$STATE/varnish/default.vcl" \
        -p vcl_path="$STATE/varnish" -s malloc,128m
      wait_port "$VARNISH_PORT" varnish
      ;;
    *) die "no such service: $1" ;;
  esac
}

stop_service() {
  local name=$1 pid
  pid=$(pid_of "$name")
  case $name in
    primary | replica)
      if [ -f "$STATE/pg/$name/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$STATE/pg/$name" -m fast -w stop >/dev/null || true
      fi
      ;;
    *)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      fi
      ;;
  esac
  forget "$name"
}

init_postgres() {
  mkdir -p "$STATE/pg"
  chmod 755 "$STATE" "$STATE/pg"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$STATE/pg"
    chmod 777 "$LOGS"
  fi
  local primary=$STATE/pg/primary sock=$STATE/pg
  as_pg "$PGBIN/initdb" -D "$primary" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$LOGS/initdb.log"
  cat >>"$primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
synchronous_commit = on
max_connections = 200
EOF
  echo "host replication all 127.0.0.1/32 trust" >>"$primary/pg_hba.conf"
  start_service primary
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB"
  as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
    -D "$STATE/pg/replica" -R -X stream -c fast >"$LOGS/basebackup.log" 2>&1
  sed -i "s/^port = $PG_PORT$/port = $REPLICA_PORT/" "$STATE/pg/replica/postgresql.conf"
  start_service replica
}

create_bucket() {
  "$PY" - <<'EOF'
import json
import os

import boto3

s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
    region_name=os.environ["AWS_S3_REGION_NAME"],
)
bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
s3.create_bucket(Bucket=bucket)
# Media are public (pages link to them); uploads waiting to be checked have
# random names and are deleted once processed.
s3.put_bucket_policy(
    Bucket=bucket,
    Policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    ),
)
EOF
}

cmd_start() {
  [ -x "$PY" ] || die "no virtualenv at $PY (make cluster installs it)"
  [ -n "$PGBIN" ] || die "PostgreSQL's binaries are missing (apt-get install postgresql)"
  for tool in haproxy varnishd redis-server; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install haproxy varnish redis-server)"
  done
  if [ -f "$PIDS" ] && [ -s "$PIDS" ]; then
    die "a cluster is running from $STATE (make cluster-stop first)"
  fi
  for port in "$VARNISH_PORT" "$HAPROXY_PORT" "$APP1_PORT" "$APP2_PORT" "$S3_PORT" \
    "$VARNISH_ADMIN_PORT" "$PG_PORT" "$REPLICA_PORT" "$REDIS_PORT"; do
    port_free "$port" || die "port $port is in use"
  done
  # A previous cluster's state is replaced; anything else is left alone.
  if [ -d "$STATE" ] && [ -n "$(ls -A "$STATE")" ] && [ ! -f "$STATE/env" ]; then
    die "$STATE is not empty and holds no cluster: choose another CLUSTER_STATE"
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE" "$LOGS" "$STATE/redis" "$STATE/mail"
  : >"$PIDS"
  write_env
  # shellcheck disable=SC1091
  . "$STATE/env"
  say "PostgreSQL primary (:$PG_PORT) and streaming replica (:$REPLICA_PORT)"
  init_postgres
  say "Redis (:$REDIS_PORT)"
  start_service redis
  say "Object storage: moto's S3 server (:$S3_PORT), bucket $AWS_STORAGE_BUCKET_NAME"
  start_service s3
  create_bucket
  say "migrate, collectstatic, load_demo_data"
  # The demo's tasks (reference index, renditions...) run in the loading
  # process, not as hundreds of jobs the workers would face first.
  (cd "$ROOT" && export TASKS_BACKEND=immediate &&
    "$PY" manage.py migrate --noinput -v0 &&
    "$PY" manage.py collectstatic --noinput -v0 &&
    "$PY" manage.py load_demo_data --site-url "$URL" >"$LOGS/demo.log" 2>&1) ||
    die "setting up the database failed (see $LOGS/demo.log)"
  say "App servers (:$APP1_PORT, :$APP2_PORT), task workers, HAProxy (:$HAPROXY_PORT), Varnish (:$VARNISH_PORT)"
  start_service app1
  start_service app2
  start_service worker1
  start_service worker2
  start_service haproxy
  start_service varnish
  say "The cluster runs: $URL/ (admin: $URL/admin/, editor / cloudmist-editor)"
  echo "    state, logs and PIDs: $STATE; stop it with: make cluster-stop"
}

cmd_stop() {
  [ -f "$PIDS" ] || { echo "cluster: nothing started from $STATE"; return 0; }
  for name in varnish haproxy app1 app2 worker1 worker2 s3 redis replica primary; do
    stop_service "$name"
  done
  rm -f "$PIDS"
  echo "cluster: stopped (state kept in $STATE)"
}

cmd_status() {
  [ -f "$PIDS" ] || { echo "cluster: not running"; return 0; }
  while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name $pid running"; else echo "$name $pid gone"; fi
  done <"$PIDS"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  stop-service) stop_service "${2:?service}" ;;
  start-service)
    [ -n "$(pid_of "${2:?service}")" ] && kill -0 "$(pid_of "$2")" 2>/dev/null && exit 0
    forget "$2"
    start_service "$2"
    ;;
  env) cat "$STATE/env" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
