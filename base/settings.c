/**
 * @file settings.c  Layered `key value` settings with ${ref} expansion
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "settings.h"

/* MAX_EXPANDED caps one expanded value: nested references multiply, and
 * a few lines of ${a}${a}... would otherwise expand to gigabytes. */
enum { MAX_DEPTH = 16, MAX_LINE = 4096, MAX_EXPANDED = 64 * 1024 };

struct setting {
	struct le le;
	char *key;
	char *value;
	char *origin;     /* "path:line" or "--set" */
};

struct dp_settings {
	struct list l;
};


static void setting_destructor(void *arg)
{
	struct setting *st = arg;

	list_unlink(&st->le);
	mem_deref(st->key);
	mem_deref(st->value);
	mem_deref(st->origin);
}


static void settings_destructor(void *arg)
{
	struct dp_settings *s = arg;

	list_flush(&s->l);
}


int dp_settings_alloc(struct dp_settings **sp)
{
	struct dp_settings *s;

	if (!sp)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), settings_destructor);
	if (!s)
		return ENOMEM;

	list_init(&s->l);
	*sp = s;

	return 0;
}


static struct setting *find(const struct dp_settings *s, const char *key,
			    size_t keylen)
{
	struct le *le;

	for (le = s->l.head; le; le = le->next) {
		struct setting *st = le->data;

		if (strlen(st->key) == keylen &&
		    0 == memcmp(st->key, key, keylen))
			return st;
	}

	return NULL;
}


/* The first control character of `value` (below 0x20, or DEL), or NULL.
 * A value ends up on a line of its own in baresip's config and in our
 * settings files: a newline in it would start a line of the writer's
 * choosing. */
static const char *control_char(const char *value)
{
	for (const char *p = value; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			return p;
	}

	return NULL;
}


static bool key_valid(const char *key, size_t len)
{
	if (!len)
		return false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];

		if (!(islower(c) || isdigit(c) || c == '_'))
			return false;
	}

	return true;
}


int dp_settings_set(struct dp_settings *s, const char *key,
		    const char *value, const char *origin)
{
	struct setting *st;
	int err;

	if (!s || !key || !value)
		return EINVAL;

	if (!key_valid(key, strlen(key)) || control_char(value))
		return EINVAL;

	st = find(s, key, strlen(key));
	if (st) {
		st->value  = mem_deref(st->value);
		st->origin = mem_deref(st->origin);
		err  = str_dup(&st->value, value);
		err |= str_dup(&st->origin, origin ? origin : "?");
		return err ? ENOMEM : 0;
	}

	st = mem_zalloc(sizeof(*st), setting_destructor);
	if (!st)
		return ENOMEM;

	err  = str_dup(&st->key, key);
	err |= str_dup(&st->value, value);
	err |= str_dup(&st->origin, origin ? origin : "?");
	if (err) {
		mem_deref(st);
		return ENOMEM;
	}

	list_append(&s->l, &st->le, st);

	return 0;
}


bool dp_settings_has(const struct dp_settings *s, const char *key)
{
	return s && key && find(s, key, strlen(key)) != NULL;
}


const char *dp_settings_origin(const struct dp_settings *s, const char *key)
{
	const struct setting *st;

	if (!s || !key)
		return NULL;

	st = find(s, key, strlen(key));

	return st ? st->origin : NULL;
}


/* Split one line into key and value; false for blank/comment lines. */
static int split_line(char *line, char **keyp, char **valp)
{
	char *p = line, *end;

	while (*p == ' ' || *p == '\t')
		++p;

	if (*p == '\0' || *p == '#')
		return ENOENT;

	*keyp = p;
	while (*p && *p != ' ' && *p != '\t')
		++p;

	if (*p)
		*p++ = '\0';

	while (*p == ' ' || *p == '\t')
		++p;

	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		*--end = '\0';

	*valp = p;

	return 0;
}


int dp_settings_load(struct dp_settings *s, const char *path,
		     char *errbuf, size_t errsz)
{
	char line[MAX_LINE];
	unsigned lineno = 0;
	FILE *f;
	int err = 0;

	if (!s || !path)
		return EINVAL;

	f = fopen(path, "r");
	if (!f) {
		err = errno;
		re_snprintf(errbuf, errsz, "%s: cannot open: %m", path, err);
		return err;
	}

	while (fgets(line, sizeof(line), f)) {
		char origin[300];
		char *key, *val;
		size_t n = strlen(line);

		++lineno;

		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f)) {
			re_snprintf(errbuf, errsz, "%s:%u: line too long",
				    path, lineno);
			err = EINVAL;
			break;
		}

		if (split_line(line, &key, &val))
			continue;

		if (!key_valid(key, strlen(key))) {
			re_snprintf(errbuf, errsz,
				    "%s:%u: bad key '%s' (expected"
				    " lower-case letters, digits and _)",
				    path, lineno, key);
			err = EINVAL;
			break;
		}

		if (control_char(val)) {
			re_snprintf(errbuf, errsz, "%s:%u: the value of '%s'"
				    " holds a control character (0x%02x)",
				    path, lineno, key,
				    (unsigned char)*control_char(val));
			err = EINVAL;
			break;
		}

		re_snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
		err = dp_settings_set(s, key, val, origin);
		if (err) {
			re_snprintf(errbuf, errsz, "%s:%u: %m", path, lineno,
				    err);
			break;
		}
	}

	if (!err && ferror(f)) {
		err = EIO;
		re_snprintf(errbuf, errsz, "%s: read error", path);
	}

	fclose(f);

	return err;
}


int dp_settings_set_arg(struct dp_settings *s, const char *assignment,
			char *errbuf, size_t errsz)
{
	const char *eq;
	char key[128];
	size_t klen;

	if (!s || !assignment)
		return EINVAL;

	eq = strchr(assignment, '=');
	klen = eq ? (size_t)(eq - assignment) : 0;
	if (!eq || !key_valid(assignment, klen) || klen >= sizeof(key)) {
		re_snprintf(errbuf, errsz,
			    "--set %s: expected key=value", assignment);
		return EINVAL;
	}

	memcpy(key, assignment, klen);
	key[klen] = '\0';

	if (control_char(eq + 1)) {
		re_snprintf(errbuf, errsz, "--set %s: the value holds a"
			    " control character (0x%02x)", key,
			    (unsigned char)*control_char(eq + 1));
		return EINVAL;
	}

	return dp_settings_set(s, key, eq + 1, "--set");
}


static int expand(const struct dp_settings *s, const char *text,
		  const char *origin, struct mbuf *mb, unsigned depth,
		  char *errbuf, size_t errsz)
{
	const char *p = text;
	int err = 0;

	if (depth > MAX_DEPTH) {
		re_snprintf(errbuf, errsz, "%s: ${...} references loop",
			    origin);
		return ELOOP;
	}

	while (*p && !err) {
		const char *ref = strstr(p, "${");
		const char *close;
		struct setting *st;

		if (!ref) {
			err = mbuf_write_str(mb, p);
			break;
		}

		err = mbuf_write_mem(mb, (const uint8_t *)p,
				     (size_t)(ref - p));
		if (err)
			break;

		close = strchr(ref + 2, '}');
		if (!close) {
			re_snprintf(errbuf, errsz, "%s: unterminated ${",
				    origin);
			return EINVAL;
		}

		st = find(s, ref + 2, (size_t)(close - ref - 2));
		if (!st) {
			re_snprintf(errbuf, errsz,
				    "%s: unknown setting ${%b}", origin,
				    ref + 2, (size_t)(close - ref - 2));
			return ENOENT;
		}

		err = expand(s, st->value, st->origin, mb, depth + 1,
			     errbuf, errsz);
		if (err)
			return err;
		if (mb->end > MAX_EXPANDED) {
			re_snprintf(errbuf, errsz, "%s: expands to more than"
				    " %u bytes", origin, MAX_EXPANDED);
			return E2BIG;
		}
		p = close + 1;
	}

	return err;
}


int dp_settings_expand(const struct dp_settings *s, const char *text,
		       const char *origin, char **outp,
		       char *errbuf, size_t errsz)
{
	struct mbuf *mb;
	int err;

	if (!s || !text || !outp)
		return EINVAL;

	mb = mbuf_alloc(128);
	if (!mb)
		return ENOMEM;

	err = expand(s, text, origin ? origin : "?", mb, 0, errbuf, errsz);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, outp, mb->end);
	}

	mem_deref(mb);

	return err;
}


int dp_settings_get(const struct dp_settings *s, const char *key,
		    char **valp, char *errbuf, size_t errsz)
{
	struct setting *st;

	if (!s || !key || !valp)
		return EINVAL;

	st = find(s, key, strlen(key));
	if (!st) {
		re_snprintf(errbuf, errsz, "setting '%s' is not set", key);
		return ENOENT;
	}

	return dp_settings_expand(s, st->value, st->origin, valp,
				  errbuf, errsz);
}


static bool is_module_key(const char *key)
{
	return 0 == strcmp(key, "module") || 0 == strcmp(key, "module_tmp") ||
		0 == strcmp(key, "module_app");
}


static int render_line(const struct dp_settings *s, char *line,
		       const char *origin, struct mbuf *out,
		       char *errbuf, size_t errsz)
{
	char *key, *val, *exp = NULL;
	int err;

	if (split_line(line, &key, &val))
		return 0;

	err = dp_settings_expand(s, val, origin, &exp, errbuf, errsz);
	if (err)
		return err;

	/* Values are checked when set; the template's own text is not,
	 * and a config line must stay one line whatever went before. */
	if (control_char(key) || control_char(exp)) {
		const char *c = control_char(key) ? control_char(key) :
			control_char(exp);

		re_snprintf(errbuf, errsz, "%s: the value of '%s' holds a"
			    " control character (0x%02x); not written",
			    origin, key, (unsigned char)*c);
		err = EINVAL;
	}
	else if (exp[0] == '\0') {
		/* an empty setting drops the optional key */
	}
	else if (is_module_key(key)) {
		char *item = exp, *comma;

		do {
			comma = strchr(item, ',');
			if (comma)
				*comma = '\0';

			while (*item == ' ')
				++item;

			if (*item)
				err |= mbuf_printf(out, "%s %s\n", key, item);

			item = comma ? comma + 1 : NULL;
		} while (item);
	}
	else {
		err = mbuf_printf(out, "%s %s\n", key, exp);
	}

	mem_deref(exp);

	return err;
}


int dp_template_render(const struct dp_settings *s, const char *path,
		       struct mbuf *out, char *errbuf, size_t errsz)
{
	char line[MAX_LINE];
	unsigned lineno = 0;
	FILE *f;
	int err = 0;

	if (!s || !path || !out)
		return EINVAL;

	f = fopen(path, "r");
	if (!f) {
		err = errno;
		re_snprintf(errbuf, errsz, "%s: cannot open: %m", path, err);
		return err;
	}

	while (!err && fgets(line, sizeof(line), f)) {
		char origin[300];
		size_t n = strlen(line);

		++lineno;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';

		re_snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
		err = render_line(s, line, origin, out, errbuf, errsz);
	}

	fclose(f);

	return err;
}
