#!/bin/sh
# Usage: check-translations.sh SRCDIR            every catalog is complete
#        check-translations.sh SRCDIR --potfiles  POTFILES.in lists every
#                                                 file with a translatable string
# Extracts the strings of the files in po/POTFILES.in the way the build's
# pot target does, merges each catalog of po/LINGUAS with them and fails
# when any message is untranslated or fuzzy, printing those messages.
set -eu
src=$1
mode=${2:-}
cd "$src"

files=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in)

if [ "$mode" = --potfiles ]; then
    missing=0
    for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N_|_|C_|NC_)\("' \
                   --include='*.c' common vici nm-plugin helper properties auth-dialog diag 2>/dev/null | sort); do
        if ! printf '%s\n' $files | grep -qx "$f"; then
            echo "not in po/POTFILES.in: $f" >&2
            missing=1
        fi
    done
    exit $missing
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --package-name=nm-l2tp-vpn -o "$tmp/template.pot" $files

status=0
for lang in $(sed -e 's/#.*//' po/LINGUAS); do
    msgfmt --check -o /dev/null "po/$lang.po"
    msgmerge --quiet -o "$tmp/$lang.po" "po/$lang.po" "$tmp/template.pot"
    stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
    echo "$lang: $stats"
    case "$stats" in
    *untranslated* | *fuzzy*)
        echo "$lang.po lacks these translations:" >&2
        msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid' >&2 || true
        msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid' >&2 || true
        status=1
        ;;
    esac
done
exit $status
