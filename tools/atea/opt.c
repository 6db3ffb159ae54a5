#include "opt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"

#define ATEA_OPT_MAX_SECS 86400u

static const atea_opt *find_long(const atea_cmd_spec *spec, const char *name, size_t len)
{
    for (size_t i = 0; i < spec->nopts; i++) {
        if (strlen(spec->opts[i].name) == len && strncmp(spec->opts[i].name, name, len) == 0) {
            return &spec->opts[i];
        }
    }
    return NULL;
}

static const atea_opt *find_short(const atea_cmd_spec *spec, char c)
{
    for (size_t i = 0; i < spec->nopts; i++) {
        if (spec->opts[i].short_name == c) {
            return &spec->opts[i];
        }
    }
    return NULL;
}

static int parse_unum(const char *text, uint64_t max, uint64_t *out)
{
    if (text[0] == '\0' || text[0] == '-' || text[0] == '+') {
        return -1;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d, without timegm (not in C17) or the TZ environment. */
static int64_t days_from_civil(int y, int m, int d)
{
    static const int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = 0;
    for (int year = 1970; year < y; year++) {
        days += is_leap(year) ? 366 : 365;
    }
    days += before_month[m - 1] + (m > 2 && is_leap(y) ? 1 : 0);
    return days + d - 1;
}

int atea_opt_parse_time(const char *text, int64_t *out)
{
    uint64_t secs = 0;
    if (parse_unum(text, INT64_MAX, &secs) == 0) {
        *out = (int64_t)secs;
        return 0;
    }
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
    size_t len = strlen(text);
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) {
        return -1;
    }
    if (len > 10) {
        int n2 = 0;
        if ((text[10] != 'T' && text[10] != ' ') ||
            sscanf(text + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &n2) != 3 || n2 != 8) {
            return -1;
        }
        const char *rest = text + 19;
        if (!(rest[0] == '\0' || (rest[0] == 'Z' && rest[1] == '\0'))) {
            return -1;
        }
    }
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] ||
        (mo == 2 && d == 29 && !is_leap(y)) || h > 23 || mi > 59 || s > 60 || h < 0 || mi < 0 ||
        s < 0) {
        return -1;
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}

static int store(const atea_cmd_spec *spec, const atea_opt *o, const char *value, int negated,
                 atea_optval *vals)
{
    atea_optval *v = &vals[o->id];
    (void)spec;
    v->set = 1;
    switch (o->type) {
    case ATEA_OPT_BOOL:
        v->flag = !negated;
        return 0;
    case ATEA_OPT_COUNT:
        v->count++;
        return 0;
    case ATEA_OPT_STR:
    case ATEA_OPT_FILE:
        if (value[0] == '\0') {
            atea_usagef("--%s needs a non-empty %s", o->name, o->argname ? o->argname : "value");
            return -1;
        }
        break;
    case ATEA_OPT_SECS:
        if (parse_unum(value, ATEA_OPT_MAX_SECS, &v->num) != 0) {
            atea_usagef("--%s: '%s' is not a number of seconds between 0 and %u", o->name, value,
                        ATEA_OPT_MAX_SECS);
            return -1;
        }
        break;
    case ATEA_OPT_UNUM:
        if (parse_unum(value, UINT32_MAX, &v->num) != 0) {
            atea_usagef("--%s: '%s' is not a non-negative integer", o->name, value);
            return -1;
        }
        break;
    case ATEA_OPT_HEX: {
        size_t n = strlen(value);
        for (size_t i = 0; i < n; i++) {
            if (strchr("0123456789abcdefABCDEF", value[i]) == NULL) {
                atea_usagef("--%s: character %zu of '%s' is not a hex digit", o->name, i + 1,
                            value);
                return -1;
            }
        }
        if (n % 2 != 0) {
            atea_usagef("--%s: odd number of hex digits (%zu)", o->name, n);
            return -1;
        }
        break;
    }
    case ATEA_OPT_TIME:
        if (atea_opt_parse_time(value, &v->time) != 0) {
            atea_usagef("--%s: '%s' is not a time (use seconds since the epoch or "
                        "YYYY-MM-DD[THH:MM:SS[Z]], UTC)",
                        o->name, value);
            return -1;
        }
        break;
    }
    v->str = value;
    if (o->flags & ATEA_OPT_F_MULTI) {
        if (v->count >= ATEA_OPT_MAX_VALUES) {
            atea_usagef("--%s given more than %d times", o->name, ATEA_OPT_MAX_VALUES);
            return -1;
        }
        v->strs[v->count] = value;
    }
    v->count++;
    return 0;
}

static int takes_value(const atea_opt *o)
{
    return o->type != ATEA_OPT_BOOL && o->type != ATEA_OPT_COUNT;
}

static void scrub(char *arg)
{
    for (char *p = arg; *p; p++) {
        *p = '*';
    }
}

int atea_opt_parse(const atea_cmd_spec *spec, int argc, char **argv, atea_optval *vals,
                   int *first_arg)
{
    if (vals != NULL) {
        memset(vals, 0, spec->nvals * sizeof(*vals));
    }
    atea_msg_set_command(spec->name);
    int i = 1;
    int nargs = 0;
    int positional_start = -1;
    /* Options and positional arguments may be mixed; positional ones are moved to the end in
     * their order, as GNU getopt does, so that "atea inspect FILE -v" works. */
    char *positional[256];
    for (; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc && nargs < 256; i++) {
                positional[nargs++] = argv[i];
            }
            break;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            atea_opt_print_help(spec);
            return ATEA_OPT_HELP;
        }
        if (strcmp(a, "--dump-options") == 0) {
            atea_opt_dump(spec);
            return ATEA_OPT_HELP;
        }
        if (a[0] == '-' && a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int negated = 0;
            const atea_opt *o = find_long(spec, name, len);
            if (o == NULL && len > 3 && strncmp(name, "no-", 3) == 0) {
                o = find_long(spec, name + 3, len - 3);
                if (o != NULL && o->type != ATEA_OPT_BOOL) {
                    o = NULL;
                }
                negated = o != NULL;
            }
            if (o == NULL) {
                atea_usagef("unknown option '--%.*s'", (int)len, name);
                return ATEA_OPT_ERROR;
            }
            const char *value = NULL;
            if (takes_value(o)) {
                if (eq != NULL) {
                    value = eq + 1;
                } else if (i + 1 < argc) {
                    value = argv[++i];
                } else {
                    atea_usagef("--%s needs an argument (%s)", o->name, o->argname);
                    return ATEA_OPT_ERROR;
                }
            } else if (eq != NULL) {
                atea_usagef("--%s takes no argument", o->name);
                return ATEA_OPT_ERROR;
            }
            if (store(spec, o, value, negated, vals) != 0) {
                return ATEA_OPT_ERROR;
            }
            if ((o->flags & ATEA_OPT_F_SECRET) && value != NULL) {
                scrub((char *)value);
            }
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            for (const char *c = a + 1; *c; c++) {
                const atea_opt *o = find_short(spec, *c);
                if (o == NULL) {
                    atea_usagef("unknown option '-%c'", *c);
                    return ATEA_OPT_ERROR;
                }
                const char *value = NULL;
                if (takes_value(o)) {
                    if (c[1] != '\0') {
                        value = c + 1;
                    } else if (i + 1 < argc) {
                        value = argv[++i];
                    } else {
                        atea_usagef("-%c needs an argument (%s)", *c, o->argname);
                        return ATEA_OPT_ERROR;
                    }
                }
                if (store(spec, o, value, 0, vals) != 0) {
                    return ATEA_OPT_ERROR;
                }
                if (value != NULL) {
                    break;
                }
            }
            continue;
        }
        if (nargs >= 256) {
            atea_usagef("too many arguments");
            return ATEA_OPT_ERROR;
        }
        positional[nargs++] = a;
    }
    if (nargs < spec->min_args) {
        atea_usagef("missing argument: %s", spec->synopsis);
        return ATEA_OPT_ERROR;
    }
    if (nargs > spec->max_args) {
        atea_usagef("unexpected argument '%s'", positional[spec->max_args]);
        return ATEA_OPT_ERROR;
    }
    positional_start = argc - nargs;
    for (int k = 0; k < nargs; k++) {
        argv[positional_start + k] = positional[k];
    }
    *first_arg = positional_start;
    return ATEA_OPT_OK;
}

int atea_opt_parse_command(const atea_cmd_spec *spec, int argc, char **argv, atea_optval *vals,
                           int *first_arg)
{
    switch (atea_opt_parse(spec, argc, argv, vals, first_arg)) {
    case ATEA_OPT_OK:
        return ATEA_OPT_CONTINUE;
    case ATEA_OPT_HELP:
        return 0;
    default:
        return 1;
    }
}

/* Print text as lines of at most width columns, breaking at spaces (like man(1) would). */
static void print_wrapped(const char *text, size_t width)
{
    const char *p = text;
    while (*p != '\0') {
        size_t len = strlen(p);
        size_t cut = len;
        if (len > width) {
            cut = width;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) {
                cut = width; /* one long word: break it */
            }
        }
        printf("%.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
}

void atea_opt_print_help(const atea_cmd_spec *spec)
{
    printf("usage: atea %s %s\n\n", spec->name, spec->synopsis);
    print_wrapped(spec->summary, 78);
    printf("\noptions:\n");
    for (size_t i = 0; i < spec->nopts; i++) {
        const atea_opt *o = &spec->opts[i];
        char left[64];
        const char *no = o->type == ATEA_OPT_BOOL ? "[no-]" : "";
        if (o->short_name) {
            snprintf(left, sizeof(left), "-%c, --%s%s%s%s", o->short_name, no, o->name,
                     o->argname ? " " : "", o->argname ? o->argname : "");
        } else {
            snprintf(left, sizeof(left), "    --%s%s%s%s", no, o->name, o->argname ? " " : "",
                     o->argname ? o->argname : "");
        }
        printf("  %-30s %s\n", left, o->help);
    }
    printf("  %-30s %s\n", "-h, --help", "show this help");
    printf("\nDocumentation: docs/cli/ in the atea sources; exit codes: docs/cli/EXIT-CODES.md\n");
}

void atea_opt_dump(const atea_cmd_spec *spec)
{
    for (size_t i = 0; i < spec->nopts; i++) {
        printf("%s\t%s\t%s\n", spec->name, spec->opts[i].name, spec->opts[i].help);
    }
}
