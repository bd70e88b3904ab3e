#!/bin/sh
# Turn CONFIG (CONFIG_X=y / =n / =value lines) into a C header on stdout.
set -eu
echo "/* Generated from CONFIG by scripts/genconfig.sh: do not edit. */"
echo "#ifndef MICA_CONFIG_H"
echo "#define MICA_CONFIG_H"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | while IFS='=' read -r name value; do
    case "$name" in
        CONFIG_[A-Z0-9_]*) ;;
        *) echo "genconfig: bad line '$name=$value'" >&2; exit 1 ;;
    esac
    case "$value" in
        y) echo "#define $name 1" ;;
        n) ;;
        *) echo "#define $name $value" ;;
    esac
done
echo "#endif"
