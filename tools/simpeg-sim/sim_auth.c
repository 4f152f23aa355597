/* sim_auth.c: the credentials data calls must carry: none, a fixed bearer
 * token, or a token from the OAuth2 client-credentials endpoint, which this
 * file serves and keeps (the last MAX_TOKENS issued, under s->mu). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim.h"

static void token_new(struct sim *s, char *out, size_t size)
{
    struct rng r;
    uint64_t v;

    pthread_mutex_lock(&s->mu);
    r = rng_for(s->seed ^ (uint64_t)time(NULL), s->tokens_issued, S_TOKEN);
    v = rng_next(&r);
    snprintf(out, size, "simtok-%" PRIu64 "-%016" PRIx64, s->tokens_issued + 1, v);
    struct token *t = &s->tokens[s->tokens_issued % MAX_TOKENS];
    snprintf(t->value, sizeof(t->value), "%s", out);
    t->expires = (int64_t)time(NULL) + s->token_ttl;
    t->revoked = false;
    s->tokens_issued++;
    pthread_mutex_unlock(&s->mu);
}

static bool token_valid(struct sim *s, const char *value)
{
    bool ok = false;
    int64_t now = (int64_t)time(NULL);

    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < MAX_TOKENS; k++) {
        const struct token *t = &s->tokens[k];

        if (t->value[0] && !strcmp(t->value, value) && !t->revoked && now < t->expires)
            ok = true;
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void tokens_revoke(struct sim *s)
{
    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < MAX_TOKENS; k++)
        s->tokens[k].revoked = true;
    pthread_mutex_unlock(&s->mu);
}

/* 0 when the data call carries the credentials the mode asks for. */
int auth_check(struct sim *s, struct req *rq)
{
    const char *h = header(rq, "Authorization");

    if (s->auth == AUTH_NONE)
        return 0;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return -1;
    h += 7;
    if (s->auth == AUTH_BEARER)
        return strcmp(h, s->bearer) == 0 ? 0 : -1;
    return token_valid(s, h) ? 0 : -1;
}

/* A form field of an x-www-form-urlencoded body, decoded. */
static bool form_field(const char *body, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    const char *p = body;

    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);

        if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            size_t vlen = len - klen - 1;

            if (vlen >= size)
                vlen = size - 1;
            memcpy(out, p + klen + 1, vlen);
            out[vlen] = '\0';
            for (char *c = out; *c; c++)
                if (*c == '+')
                    *c = ' ';
            MHD_http_unescape(out);
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

/* Whether the request's HTTP Basic credentials are the client's. */
static bool client_authenticated(struct sim *s, struct req *rq)
{
    char *user, *pass = NULL;
    bool ok;

    user = MHD_basic_auth_get_username_password(rq->conn, &pass);
    ok = user && pass && !strcmp(user, s->client_id) && !strcmp(pass, s->client_secret);
    if (user)
        MHD_free(user);
    if (pass)
        MHD_free(pass);
    return ok;
}

/* POST /oauth2/token: a token for grant_type=client_credentials; f, when
 * set, is the fault armed for the endpoint. */
enum MHD_Result serve_token(struct sim *s, struct req *rq, const char *method,
                            const struct fault *f)
{
    char grant[64], scope[128];
    struct out o = {0};
    char tok[64];

    if (f && f->kind == F_STATUS)
        return reply_fault_status(s, rq, f);
    if (f && f->kind == F_SLOW_HEADERS)
        sleep_ms(f->delay_ms);
    if (strcmp(method, "POST") != 0)
        return reply_error(s, rq, 405, "method_not_allowed", "use POST", false, "Allow", "POST");
    if (s->auth != AUTH_OAUTH2)
        return reply_error(s, rq, 404, "not_found", "no token endpoint in this mode", false, NULL,
                           NULL);
    if (!client_authenticated(s, rq)) {
        LIT(&o, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication "
                "failed\"}");
        return reply(s, rq, 401, &o, "WWW-Authenticate", "Basic realm=\"simpeg\"");
    }
    if (!form_field(rq->body, "grant_type", grant, sizeof(grant)) ||
        strcmp(grant, "client_credentials") != 0) {
        LIT(&o, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"expected "
                "grant_type=client_credentials\"}");
        return reply(s, rq, 400, &o, NULL, NULL);
    }
    pthread_mutex_lock(&s->mu);
    if (form_field(rq->body, "scope", scope, sizeof(scope)))
        snprintf(s->last_scope, sizeof(s->last_scope), "%s", scope);
    else
        s->last_scope[0] = '\0';
    pthread_mutex_unlock(&s->mu);
    token_new(s, tok, sizeof(tok));
    LIT(&o, "{\"access_token\":");
    out_str(&o, tok);
    LIT(&o, ",\"token_type\":\"Bearer\",\"expires_in\":");
    out_int(&o, s->token_ttl);
    out_char(&o, '}');
    return reply(s, rq, 200, &o, NULL, NULL);
}
