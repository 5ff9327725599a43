#!/usr/bin/env bash
# Builds the container image and smoke-tests it: `tidings --help` and `tidings run` on the
# bundled samples inside the image (the Containerfile's `smoke` stage). Running containers
# is not possible on every build machine (rootless runtimes may not set rlimits), so the
# check runs as a build step. Part of `npm run bench`'s neighbours, not of `npm test`:
# it takes minutes and needs podman (docs/operations.md, "Container").
set -euo pipefail
cd "$(dirname "$0")/.."
command -v podman >/dev/null || { echo "error: podman is not installed (apt-get install podman)" >&2; exit 2; }
bash scripts/container-base.sh
echo "== podman build (image tidings:local)"
podman build --isolation chroot --format docker -f Containerfile -t tidings:local .
echo "== podman build --target smoke (the image's CLI on the bundled samples)"
podman build --isolation chroot --format docker -f Containerfile --target smoke -t tidings:smoke .
podman image inspect tidings:local --format 'user {{.Config.User}}, entrypoint {{.Config.Entrypoint}}, cmd {{.Config.Cmd}}, volumes {{.Config.Volumes}}, healthcheck {{.Config.Healthcheck.Test}}'
echo "container check passed"
