#!/usr/bin/env bash
# Runs COMMAND (default: ./dev.sh test) in a fresh Debian 12 root made with debootstrap
# (--variant=minbase bookworm, plus git and ca-certificates as a person who cloned would have), on a
# clean export of this checkout's HEAD at /src. Nothing installed on this machine by hand can help: a
# package missing from dev.sh makes the command fail. Needs root (debootstrap, chroot, mounts).
#
# Caches that save time but cannot hide a missing package, kept in $TRANSOM_CI_CACHE
# (default /var/cache/transom-ci):
#   - the minbase root as a tarball (debootstrap once),
#   - downloaded .deb files (apt still installs only what dev.sh asks for),
#   - ccache's objects, this machine's own ccache folder (a missing header or library still fails the
#     compile or the link; sharing it lets a fresh root reuse what developers' builds compiled).
set -euo pipefail
cmd=${1:-./dev.sh test}
cache_dir=${TRANSOM_CI_CACHE:-/var/cache/transom-ci}
tarball=$cache_dir/bookworm-minbase.tar
ccache_dir=${CCACHE_DIR:-$HOME/.cache/ccache}
mkdir -p "$cache_dir/apt-archives/partial" "$ccache_dir"

if [ "$(id -u)" -ne 0 ]; then
    echo "fresh-root.sh needs root (debootstrap, chroot and mounts); run it with sudo" >&2
    exit 2
fi

mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

if [ ! -s "$tarball" ]; then
    command -v debootstrap >/dev/null ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
    tmp=$(mktemp -d "$cache_dir/debootstrap.XXXXXX")
    echo "fresh root: debootstrap --variant=minbase bookworm (once; cached in $tarball)"
    debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$cache_dir/debootstrap.log" 2>&1
    tar -C "$tmp" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf --one-file-system "$tmp"
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/transom-fresh-root.XXXXXX")
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
bind() { # bind SOURCE TARGET-IN-ROOT
    mkdir -p "$root$2"
    mount --bind "$1" "$root$2"
    mounts+=("$root$2")
}

tar -C "$root" -xf "$tarball"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
    rm -f "$root/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$root/etc/" 2>/dev/null || true
mkdir -p "$root/src"
git archive HEAD | tar -C "$root/src" -x

mount -t proc proc "$root/proc" && mounts+=("$root/proc")
bind /dev /dev
bind /dev/pts /dev/pts
mkdir -p "$root/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" && mounts+=("$root/dev/shm")
bind "$cache_dir/apt-archives" /var/cache/apt/archives
bind "$ccache_dir" /root/.cache/ccache

in_root() {
    chroot "$root" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 TERM=dumb bash -c "$1"
}
# A person would have cloned with git; nothing else is installed beyond minbase.
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git ca-certificates >/dev/null'
# Keep the downloaded .deb files for the next run (minbase's apt would otherwise keep them anyway).
rm -f "$root/etc/apt/apt.conf.d/docker-clean"
echo "fresh root $root: $cmd"
in_root "cd /src && $cmd"
