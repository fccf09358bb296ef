#!/usr/bin/env bash
# Builds the folder of real photographs the speed benchmarks run on (BENCHMARKS.md), from pictures that
# Debian packages ship: about 1,500 JPEGs, mostly 0.4-2 MP, of various sizes, aspect ratios, qualities and
# chroma subsamplings, some progressive, some grey. The same packages give the same folder (seeded).
#
#   apt-get install -y plasma-workspace-wallpapers gnome-backgrounds mate-backgrounds desktop-base ukui-wallpapers sway-backgrounds lomiri-wallpapers imagemagick
#   bench/make-photos.sh [OUT]          # default OUT: /work/data/photos
#
# Also writes OUT-split/{train,test}/<picture>/ (hard links to the same files, 4 of every 5 variants of a
# picture in train): a train/test layout for `imgsearch eval`, where a class is one source picture.
set -euo pipefail
out="${1:-/work/data/photos}"
split="${out%/}-split"
per_picture="${PER_PICTURE:-14}"
seed="${SEED:-10}"
command -v convert >/dev/null || { echo "ImageMagick is needed: apt-get install imagemagick" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Source pictures: every JPEG, PNG or WebP of at least 700 px a side; one (the largest) per picture,
#    where a package ships the same picture at several resolutions.
find /usr/share/wallpapers /usr/share/backgrounds /usr/share/desktop-base -type f \
    \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' \) 2>/dev/null | LC_ALL=C sort |
  while read -r f; do
    size=$(identify -format '%w %h' "$f[0]" 2>/dev/null) || continue
    set -- $size
    [ "$1" -ge 700 ] && [ "$2" -ge 700 ] || continue
    case "$f" in
      /usr/share/wallpapers/*) key=$(echo "$f" | cut -d/ -f5,7) ;;       # Name/images or Name/images_dark
      *) key=$(basename "${f%.*}" | sed -E 's/_[0-9]+x[0-9]+(_Portrait)?$//') ;;
    esac
    echo "$key|$(( $1 * $2 ))|$f"
  done | LC_ALL=C sort -t'|' -k1,1 -k2,2nr | awk -F'|' '!seen[$1]++ {print $1 "|" $3}' > "$work/sources"
count=$(wc -l < "$work/sources")
[ "$count" -gt 0 ] || { echo "no source pictures found: install the packages named at the top of $0" >&2; exit 1; }
echo "$count source pictures, $per_picture variants each" >&2

# 2. One master per picture (at most 2600 px a side), so that variants need not decode a 5K PNG each time.
mkdir -p "$work/masters"
i=0
while IFS='|' read -r key f; do
  name=$(echo "$key" | tr -c 'A-Za-z0-9\n' '-' | sed -E 's/-+/-/g; s/-$//')
  echo "$name|$f"
  i=$((i + 1))
done < "$work/sources" > "$work/named"
cut -d'|' -f1,2 "$work/named" | tr '|' '\n' | xargs -d '\n' -n 2 -P 2 sh -c \
  'convert "$2[0]" -background white -alpha remove -alpha off -colorspace sRGB -resize "2600x2600>" "'"$work"'/masters/$1.ppm" 2>/dev/null || echo "skipped $2 (ImageMagick cannot read it)" >&2' _

# 3. Variants: a crop (45-100% of each side), resized to a drawn size, saved at a drawn quality and
#    subsampling; 15% progressive, 3% grey. Commands are drawn in one seeded sequence, then run in parallel.
rm -rf "$out" "$split"
mkdir -p "$out"
RANDOM=$seed
: > "$work/commands"
while IFS='|' read -r name f; do
  [ -f "$work/masters/$name.ppm" ] || continue
  set -- $(identify -format '%w %h' "$work/masters/$name.ppm"); w=$1; h=$2
  for v in $(seq -w 0 $((per_picture - 1))); do
    cw=$(( w * (45 + RANDOM % 56) / 100 )); ch=$(( h * (45 + RANDOM % 56) / 100 ))
    x=$(( RANDOM % (w - cw + 1) )); y=$(( RANDOM % (h - ch + 1) ))
    r=$(( RANDOM % 100 ))
    if [ $r -lt 10 ]; then mp=$(( 100 + RANDOM % 300 ))       # 0.1-0.4 MP
    elif [ $r -lt 92 ]; then mp=$(( 400 + RANDOM % 1600 ))    # 0.4-2 MP
    else mp=$(( 2000 + RANDOM % 2000 )); fi                   # 2-4 MP (thousandths of a megapixel)
    quality=$(( 55 + RANDOM % 41 ))
    s=$(( RANDOM % 10 ))
    sampling=$([ $s -lt 7 ] && echo 2x2,1x1,1x1 || { [ $s -lt 9 ] && echo 1x1,1x1,1x1 || echo 2x1,1x1,1x1; })
    extra=""
    [ $(( RANDOM % 100 )) -lt 15 ] && extra="$extra -interlace Plane"
    [ $(( RANDOM % 100 )) -lt 3 ] && extra="$extra -colorspace Gray"
    echo "convert $work/masters/$name.ppm -crop ${cw}x${ch}+${x}+${y} +repage -resize $((mp * 1000))@ $extra -sampling-factor $sampling -quality $quality $out/$name-$v.jpg"
  done
done < "$work/named" >> "$work/commands"
xargs -d '\n' -P 2 -I{} sh -c '{}' < "$work/commands"

# 4. The train/test layout, as hard links.
while IFS='|' read -r name f; do
  [ -f "$work/masters/$name.ppm" ] || continue
  for file in "$out/$name"-[0-9][0-9].jpg; do
    v=$(basename "$file" .jpg); v=${v##*-}
    part=$([ $((10#$v % 5)) -eq 4 ] && echo test || echo train)
    mkdir -p "$split/$part/$name"
    ln "$file" "$split/$part/$name/"
  done
done < "$work/named"

n=$(find "$out" -name '*.jpg' | wc -l)
echo "$n JPEGs, $(du -sh "$out" | cut -f1) in $out; train/test layout in $split" >&2
