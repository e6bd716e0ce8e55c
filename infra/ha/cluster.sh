#!/usr/bin/env bash
# A PostgreSQL high-availability cluster on this machine with pg_auto_failover: a monitor, a
# primary and a synchronous standby, all on loopback ports, in a folder of their own.
#
#   infra/ha/cluster.sh up       # create (first time) or start the three, wait for primary + secondary
#   infra/ha/cluster.sh status   # the nodes' roles, and the multi-host DATABASE_URL
#   infra/ha/cluster.sh url      # print DATABASE_URL only (postgres://…:p1,…:p2/yingpan?target_session_attrs=read-write)
#   infra/ha/cluster.sh pids     # "node1 <keeper pid> <postgres pid> <role>" a line, for fault tests
#   infra/ha/cluster.sh start-node node1   # start one node's keeper again (after it was killed)
#   infra/ha/cluster.sh fill-disk node2    # fill a node's own disk (YINGPAN_HA_NODE_DISK) to the last byte
#   infra/ha/cluster.sh free-disk node2    # give it its space back
#   infra/ha/cluster.sh down     # stop everything (nodes first, monitor last) and delete the folder
#
# Needs Debian's postgresql-15-auto-failover and pg-auto-failover-cli. pg_autoctl refuses to run
# as root, so as root every pg_autoctl command runs as the postgres user. Environment:
#   YINGPAN_HA_DIR   the cluster's folder (default /tmp/yingpan-ha); owned by postgres
#   YINGPAN_HA_PORT  the monitor's port (default 6000); node1 and node2 take the next two
#   YINGPAN_HA_PG    PostgreSQL's major version (default 15)
#   YINGPAN_HA_NODE_DISK  a size (e.g. 512M): each node's folder is a file system of its own of that
#                    size (a tmpfs; needs root), so that `fill-disk` can fill one node's disk alone
# The monitor's health checks are tightened (every second, a node unheard of for 3 s is
# unhealthy) so that a dead primary is replaced within seconds, not the default half-minute.
set -euo pipefail

DIR="${YINGPAN_HA_DIR:-/tmp/yingpan-ha}"
BASE_PORT="${YINGPAN_HA_PORT:-6000}"
PG_VERSION="${YINGPAN_HA_PG:-15}"
HOST=127.0.0.1
DBNAME=yingpan
MONITOR_PORT=$BASE_PORT
NODE1_PORT=$((BASE_PORT + 1))
NODE2_PORT=$((BASE_PORT + 2))
MONITOR_URI="postgres://autoctl_node@$HOST:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
export PATH="/usr/lib/postgresql/$PG_VERSION/bin:$PATH"

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# Runs a command as the postgres user (pg_autoctl refuses root), with PostgreSQL's binaries on PATH.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/bash -c "export PATH='$PATH'; cd '$DIR'; $*"
  else
    bash -c "cd '$DIR'; $*"
  fi
}

need_tools() {
  command -v pg_autoctl >/dev/null || die "pg_autoctl is missing: apt-get install -y postgresql-$PG_VERSION-auto-failover pg-auto-failover-cli"
  [ -x "/usr/lib/postgresql/$PG_VERSION/bin/pg_ctl" ] || die "PostgreSQL $PG_VERSION is not installed (/usr/lib/postgresql/$PG_VERSION/bin/pg_ctl)"
}

port_of() {
  case "$1" in
    monitor) echo "$MONITOR_PORT" ;;
    node1) echo "$NODE1_PORT" ;;
    node2) echo "$NODE2_PORT" ;;
  esac
}

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

# A node's data folder: in the cluster's folder, or on the node's own disk (YINGPAN_HA_NODE_DISK),
# where pg_autoctl's base backups for it (its folder's sibling "backup") land too.
disk_of() { echo "$DIR/disks/$1"; }
pgdata() {
  if [ "$1" != monitor ] && { [ -n "${YINGPAN_HA_NODE_DISK:-}" ] || mountpoint -q "$(disk_of "$1")" 2>/dev/null; }; then echo "$(disk_of "$1")/pgdata"; else echo "$DIR/$1"; fi
}

# `pg_autoctl run` stays in the foreground: start it in the background, keep its PID and its log.
run_keeper() {
  local name=$1
  if alive "$name"; then return; fi
  as_pg "setsid nohup pg_autoctl run --pgdata '$(pgdata "$name")' >>'$DIR/$name.log' 2>&1 </dev/null & echo \$! >'$DIR/$name.pid'"
}

# The role the monitor gives a node now (primary, secondary, wait_primary, catchingup, …), or "".
state_of() {
  psql -X -At -h "$HOST" -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover \
    -c "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$1'" 2>/dev/null || true
}

wait_state() {
  local name=$1 want=$2 limit=${3:-120}
  for _ in $(seq 1 $((limit * 2))); do
    [[ "$(state_of "$name")" =~ ^($want)$ ]] && return 0
    sleep 0.5
  done
  die "$name did not reach state $want within $limit s (now: $(state_of "$name")); see $DIR/$name.log"
}

wait_port() {
  for _ in $(seq 1 120); do
    pg_isready -q -h "$HOST" -p "$1" && return 0
    sleep 0.5
  done
  die "nothing answers on port $1"
}

create_monitor() {
  as_pg "pg_autoctl create monitor --pgdata '$DIR/monitor' --pgport $MONITOR_PORT --hostname $HOST --auth trust --no-ssl >>'$DIR/monitor.log' 2>&1"
  # Fast failure detection: a health check every second, a node unheard of for 3 s is unhealthy.
  cat >>"$DIR/monitor/postgresql.conf" <<'CONF'
# yingpan infra/ha/cluster.sh: detect a dead node within seconds
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
# the promoted standby takes writes once the old primary has demoted itself, or after this long
# (default 30 s; measured: the old primary, restarted by its keeper after a kill -9, took 11 s to
# demote on a loaded machine). Not waiting longer risks no acknowledged write: the old primary's
# commits wait for its synchronous standby, which has left it, so none of them is acknowledged.
pgautofailover.primary_demote_timeout = 4000
CONF
}

# With YINGPAN_HA_NODE_DISK, the node's folder is a file system of that size, its own disk.
mount_disk() {
  local name=$1
  [ -n "${YINGPAN_HA_NODE_DISK:-}" ] || return 0
  [ "$(id -u)" -eq 0 ] || die "YINGPAN_HA_NODE_DISK needs root (it mounts a file system per node)"
  local disk
  disk=$(disk_of "$name")
  mkdir -p "$disk"
  mountpoint -q "$disk" || mount -t tmpfs -o "size=$YINGPAN_HA_NODE_DISK,mode=0700" "yingpan-ha-$name" "$disk" ||
    die "could not mount a file system of $YINGPAN_HA_NODE_DISK at $disk"
  chown postgres:postgres "$disk"
}

# The file that fills a node's disk: beside its data folder, on the same file system.
FILLER=.yingpan-disk-filler

fill_disk() {
  local name=$1
  local disk free
  disk=$(disk_of "$name")
  mountpoint -q "$disk" || die "$name has no disk of its own (start the cluster with YINGPAN_HA_NODE_DISK)"
  free=$(df --output=avail -B1 "$disk" | tail -n 1)
  fallocate -l "$free" "$disk/$FILLER" 2>/dev/null || true
  # What fallocate could not take (rounding), a few more bytes take.
  cat /dev/zero >>"$disk/$FILLER" 2>/dev/null || true
  df -h "$disk" | tail -n 1
}

free_disk() {
  rm -f "$(disk_of "$1")/$FILLER"
}

create_node() {
  local name=$1 port
  port=$(port_of "$name")
  mount_disk "$name"
  as_pg "pg_autoctl create postgres --pgdata '$(pgdata "$name")' --pgport $port --hostname $HOST --auth trust --no-ssl \
    --monitor '$MONITOR_URI' --dbname $DBNAME --name $name >>'$DIR/$name.log' 2>&1"
}

url() {
  echo "postgres://postgres@$HOST:$NODE1_PORT,$HOST:$NODE2_PORT/$DBNAME?target_session_attrs=read-write"
}

up() {
  need_tools
  local started=$SECONDS
  [ -d "$DIR/monitor" ] || forget_state
  mkdir -p "$DIR"
  chown postgres:postgres "$DIR" 2>/dev/null || true
  [ -d "$DIR/monitor" ] || create_monitor
  run_keeper monitor
  wait_port "$MONITOR_PORT"
  psql -X -q -h "$HOST" -p "$MONITOR_PORT" -U postgres -d pg_auto_failover -c 'SELECT pg_reload_conf()' >/dev/null 2>&1 || true
  for name in node1 node2; do
    if [ ! -d "$(pgdata "$name")" ]; then
      create_node "$name"
    fi
    run_keeper "$name"
    # The first node becomes primary before the second joins; a restarted cluster keeps its roles.
    wait_state "$name" 'single|primary|secondary|wait_primary|catchingup' 120
  done
  wait_state node1 'primary|secondary' 60
  wait_state node2 'primary|secondary' 60
  echo "cluster up in $((SECONDS - started)) s in $DIR"
  status
}

status() {
  [ -d "$DIR/monitor" ] || die "no cluster in $DIR (infra/ha/cluster.sh up)"
  psql -X -h "$HOST" -p "$MONITOR_PORT" -U autoctl_node -d pg_auto_failover \
    -c "SELECT nodename, nodeport, reportedstate, goalstate, health, reportedlsn FROM pgautofailover.node ORDER BY nodeid" 2>/dev/null ||
    echo "the monitor does not answer on port $MONITOR_PORT"
  echo "DATABASE_URL=$(url)"
}

# For fault tests: each node's keeper PID, its PostgreSQL postmaster PID and its role.
pids() {
  for name in node1 node2; do
    local keeper=- postmaster=-
    alive "$name" && keeper=$(cat "$DIR/$name.pid")
    [ -f "$(pgdata "$name")/postmaster.pid" ] && postmaster=$(head -n 1 "$(pgdata "$name")/postmaster.pid")
    kill -0 "$postmaster" 2>/dev/null || postmaster=-
    echo "$name $keeper $postmaster $(state_of "$name")"
  done
}

stop_keeper() {
  local name=$1
  if alive "$name"; then
    local pid
    pid=$(cat "$DIR/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # A PostgreSQL left behind by a killed keeper.
  if [ -f "$(pgdata "$name")/postmaster.pid" ]; then
    as_pg "pg_ctl -D '$(pgdata "$name")' stop -m immediate >/dev/null 2>&1" || true
  fi
  rm -f "$DIR/$name.pid"
}

# pg_autoctl keeps each node's configuration and state under the postgres user's home, by the
# node's folder: left behind, they make a new cluster in the same folder refuse to start.
forget_state() {
  local home
  home=$(getent passwd postgres | cut -d: -f6)
  rm -rf "$home/.config/pg_autoctl$DIR" "$home/.local/share/pg_autoctl$DIR"
}

down() {
  if [ ! -d "$DIR" ]; then
    echo "no cluster in $DIR"
    forget_state
    return
  fi
  stop_keeper node2
  stop_keeper node1
  stop_keeper monitor
  for name in node1 node2; do
    if mountpoint -q "$(disk_of "$name")"; then umount "$(disk_of "$name")" || umount -l "$(disk_of "$name")"; fi
  done
  rm -rf "$DIR"
  forget_state
  echo "cluster stopped and $DIR removed"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  url) url ;;
  pids) pids ;;
  start-node)
    [[ "${2:-}" =~ ^node[12]$ ]] || die "start-node node1|node2"
    run_keeper "$2"
    ;;
  fill-disk | free-disk)
    [[ "${2:-}" =~ ^node[12]$ ]] || die "$1 node1|node2"
    if [ "$1" = fill-disk ]; then fill_disk "$2"; else free_disk "$2"; fi
    ;;
  *)
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
