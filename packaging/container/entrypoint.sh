#!/bin/sh
# Entry point of the avatar-renderer image: serve | worker | mcp | any other
# avatar-renderer command. Adds the image's defaults (listen on all
# interfaces, data in /data) unless the arguments already set them.
set -eu
mode=${1:-serve}
[ $# -gt 0 ] && shift
has() {
  flag=$1
  shift
  for a in "$@"; do
    case "$a" in "$flag" | "$flag"=*) return 0 ;; esac
  done
  return 1
}
defaults=""
case "$mode" in
  serve)
    has --host "$@" || defaults="$defaults --host=0.0.0.0"
    has --port "$@" || defaults="$defaults --port=${AVATAR_PORT:-8080}"
    has --data-dir "$@" || defaults="$defaults --data-dir=/data"
    ;;
  worker | mcp)
    has --data-dir "$@" || defaults="$defaults --data-dir=/data"
    ;;
esac
# shellcheck disable=SC2086 # the defaults are separate words
exec /usr/bin/avatar-renderer "$mode" $defaults "$@"
