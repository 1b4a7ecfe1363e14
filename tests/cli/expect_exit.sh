#!/bin/sh
# expect_exit.sh CODE REGEX COMMAND...: runs COMMAND, passes when it exits with
# CODE and its combined output matches the extended regex REGEX.
code="$1"; regex="$2"; shift 2
out="$("$@" 2>&1)"; got=$?
if [ "$got" -ne "$code" ]; then
  echo "expected exit $code, got $got from: $*"; echo "$out"; exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
  echo "output does not match /$regex/:"; echo "$out"; exit 1
fi
echo "ok: exit $got, output matches /$regex/"
