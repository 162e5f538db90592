#!/bin/bash
# `deskphone codec`: the Appendix II mode, encode/decode round trips
# through files, and clear errors for bad input.
. "$(dirname "$0")/../lib/harness.sh"

B=$DP_BIN
D=$T_DIR
data=$DP_ROOT/test/data/g722-itu-appendix2

t_check appendix2_all_pass sh -c "$B codec g722 appendix2 '$data' > '$D/apx.out'"
t_check appendix2_reports_11 grep -q '^11 of 11 Appendix II tests passed' "$D/apx.out"
t_check appendix2_missing_dir_fails not "$B" codec g722 appendix2 "$D/nowhere"

# one second of a 1 kHz tone at 16 kHz, and every second sample for 8 kHz
awk 'BEGIN { for (i = 0; i < 16000; i++) { v = int(12000 * sin(2 * 3.14159265 * 1000 * i / 16000));
	if (v < 0) v += 65536; printf "%c%c", v % 256, int(v / 256) } }' LC_ALL=C > "$D/tone16.raw"
t_check g722_encode sh -c "$B codec g722 encode < '$D/tone16.raw' > '$D/tone.g722'"
t_check g722_octets_per_sample [ "$(stat -c %s "$D/tone.g722")" = 8000 ]
for m in 1 2 3; do
	t_check "g722_decode_mode$m" sh -c "$B codec g722 decode --mode $m < '$D/tone.g722' > '$D/back$m.raw'"
	t_check "g722_decode_mode${m}_size" [ "$(stat -c %s "$D/back$m.raw")" = 32000 ]
done
t_check g722_decode_default_is_mode1 cmp "$D/back1.raw" <("$B" codec g722 decode < "$D/tone.g722")
for c in pcmu pcma; do
	t_check "${c}_round_trip" sh -c "$B codec $c encode < '$D/tone16.raw' > '$D/t.$c' &&
		[ \$(stat -c %s '$D/t.$c') = 16000 ] &&
		$B codec $c decode < '$D/t.$c' > '$D/b.$c' && [ \$(stat -c %s '$D/b.$c') = 32000 ]"
done

# bad input: exit status 2, a message, no output
printf 'abc' > "$D/odd.raw"
printf 'ab' > "$D/one.raw"
t_check odd_bytes_refused sh -c "$B codec pcmu encode < '$D/odd.raw' > '$D/o1' 2>'$D/e1'; [ \$? = 2 ] && [ ! -s '$D/o1' ] && grep -q '16-bit' '$D/e1'"
t_check odd_samples_refused_g722 sh -c "$B codec g722 encode < '$D/one.raw' > '$D/o2' 2>'$D/e2'; [ \$? = 2 ] && [ ! -s '$D/o2' ] && grep -q pairs '$D/e2'"
t_check empty_input_refused sh -c "$B codec g722 decode < /dev/null > '$D/o3' 2>'$D/e3'; [ \$? = 2 ] && [ ! -s '$D/o3' ] && grep -q 'no input' '$D/e3'"
t_check bad_mode_refused sh -c "$B codec g722 decode --mode 4 < '$D/one.raw' 2>'$D/e4'; [ \$? = 2 ] && grep -q 'mode' '$D/e4'"
t_check mode_only_for_g722 sh -c "$B codec pcmu decode --mode 2 < '$D/one.raw' 2>/dev/null; [ \$? = 2 ]"
t_check unknown_codec_refused sh -c "$B codec opus encode < '$D/one.raw' 2>/dev/null; [ \$? = 2 ]"

t_done
