// ceph.conf of the throw-away single-node cluster: one mon, one memstore osd, radosgw, no cephx, no
// mgr, everything on 127.0.0.1 and inside its directory. Settings from
// ../shared/reference/s3-test-server.md: fast paxos (start in ~1.5 s instead of ~17 s), pools of size
// one, and no crush/class update by the starting osd (it can race the monmap and exit).

export interface CephConfigInput {
  readonly fsid: string
  readonly dir: string
  readonly monPort: number
  readonly rgwPort: number
  /** Memstore capacity (bytes): the objects live in the osd's RAM. */
  readonly memstoreBytes: number
}

export const RGW_POOLS: readonly string[] = [
  '.rgw.root',
  'default.rgw.log',
  'default.rgw.control',
  'default.rgw.meta',
  'default.rgw.buckets.index',
  'default.rgw.buckets.data',
  'default.rgw.buckets.non-ec',
]

export function cephConfig(input: CephConfigInput): string {
  const d = input.dir
  return `[global]
fsid = ${input.fsid}
mon host = v1:127.0.0.1:${input.monPort}
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = /dev/null
run dir = ${d}/run
admin socket = ${d}/run/$name.asok
log file = ${d}/log/$name.log
mon cluster log file = ${d}/log/ceph.$channel.log
crash dir = ${d}/crash
mon data = ${d}/mon.$id
osd data = ${d}/osd.$id
mon data avail warn = 1
mon data avail crit = 1
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on msgr2 not enabled = false
mon max pg per osd = 1000
paxos propose interval = 0.05
paxos min wait = 0.01
rgw exit timeout secs = 1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
osd crush update on start = false
osd class update on start = false
osd objectstore = memstore
memstore device bytes = ${input.memstoreBytes}
osd memory target = 1073741824
osd op num shards = 1
osd op num threads per shard = 2
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${input.rgwPort}
rgw data = ${d}/run/rgw
`
}

/** The librados script that registers the osd and pre-creates the RGW pools (radosgw would do it lazily, seconds slower). */
export const BOOTSTRAP_SCRIPT = `
import json, sys, rados
r = rados.Rados(conffile=sys.argv[1]); r.connect(timeout=30)
def cmd(**kw):
    ret, out, err = r.mon_command(json.dumps(kw), b'')
    if ret != 0: sys.exit(f'{kw}: {ret} {err}')
    return out
osd_id = int(json.loads(cmd(prefix='osd new', uuid=sys.argv[2], format='json'))['osdid'])
cmd(prefix='osd crush add', id=osd_id, weight=1.0, args=['root=default'])
for p in json.loads(sys.argv[3]):
    cmd(prefix='osd pool create', pool=p, pg_num=8, pgp_num=8)
    cmd(prefix='osd pool application enable', pool=p, app='rgw')
r.shutdown(); print(osd_id)
`

/** Waits (up to argv[2] seconds) until the cluster reports one osd up. */
export const WAIT_OSD_UP_SCRIPT = `
import json, sys, time, rados
r = rados.Rados(conffile=sys.argv[1]); r.connect(timeout=30)
deadline = time.time() + float(sys.argv[2])
while True:
    ret, out, err = r.mon_command(json.dumps({'prefix': 'osd stat', 'format': 'json'}), b'')
    if ret == 0 and json.loads(out).get('num_up_osds', 0) >= 1: break
    if time.time() > deadline: sys.exit('timeout waiting for the osd to come up')
    time.sleep(0.05)
r.shutdown()
`
