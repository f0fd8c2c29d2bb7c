# shellcheck shell=bash
# The scenario settings of one soak cycle, from its seed alone: sourced by the
# scenario.conf of a cycle folder (tests/soak/run makes one per cycle under
# build/soak/) and of tests/vm/scenarios/soak-slice, with SOAK_SEED set.
# shellcheck disable=SC2034  # run-scenario reads what this sets
soak_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
soak_conf=$(python3 "$soak_dir/gen.py" --seed "${SOAK_SEED:?}" --conf) || return 1
eval "$soak_conf"
DESCRIPTION="soak, $(python3 "$soak_dir/gen.py" --seed "$SOAK_SEED" --describe)"
MODE=panic
KERNELS="stock"
MODULES=("$SOAK_BUGCHECK" "$SOAK_MAIN")
[ -z "$SOAK_GONE" ] || MODULES+=("$SOAK_GONE")
# guest.sh reads the user processes to start from the command line.
FIRST_APPEND="soak_users=$SOAK_USERS"
DUMP_OPTS="-c -d 31"
TIMEOUT=300
# The misbehaving clients' oopses (a read of 0x10; under KASAN a GP on its
# shadow) and their abandonment are the point; nothing else is allowed.
SPLAT_ALLOW='(BUG: kernel NULL pointer dereference, address: 0+10|BUG: unable to handle page fault for address: 0+10|Oops: |KASAN: null-ptr-deref|general protection fault, probably for non-canonical address 0xdffffc0000000002|abandoned a callback at)'
