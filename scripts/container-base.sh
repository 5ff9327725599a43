#!/usr/bin/env bash
# Makes a local stand-in for the Containerfile's base image (docker.io/library/node:20-bookworm-slim)
# on a machine that cannot pull images: Debian bookworm from Debian's own packages
# (mmdebstrap), with this machine's Node copied where the official image keeps it
# (/usr/local: node, npm, headers) and its `node` user (uid 1000). The Containerfile then
# builds unchanged. Idempotent: does nothing when the image exists (pulled or made).
set -euo pipefail
image="${NODE_BASE:-docker.io/library/node:20-bookworm-slim}"
if podman image exists "$image"; then
  echo "base image $image is present"
  exit 0
fi
for tool in mmdebstrap podman; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install mmdebstrap podman)" >&2; exit 2; }
done
node_bin="$(command -v node)"
node_prefix="$(dirname "$(dirname "$(readlink -f "$node_bin")")")"
[ -d "$node_prefix/include/node" ] || { echo "error: Node's headers are missing under $node_prefix/include/node" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== making $image from Debian bookworm and Node $(node --version) (takes a few minutes)"
mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$work/root"
install -m 0755 "$(readlink -f "$node_bin")" "$work/root/usr/local/bin/node"
mkdir -p "$work/root/usr/local/lib/node_modules" "$work/root/usr/local/include"
cp -a "$node_prefix/lib/node_modules/npm" "$work/root/usr/local/lib/node_modules/npm"
cp -a "$node_prefix/include/node" "$work/root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/root/usr/local/bin/npx"
# Certificate authorities this machine trusts beyond Debian's (a TLS-inspecting proxy on
# the way to the registry): the image's npm must trust them too, as this machine's does.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$work/root/usr/local/share/ca-certificates/"
  chroot "$work/root" update-ca-certificates >/dev/null
fi
chroot "$work/root" groupadd --gid 1000 node
chroot "$work/root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
tar -C "$work/root" -c . | podman import --change 'CMD ["node"]' --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$image" >/dev/null
echo "base image $image made"
