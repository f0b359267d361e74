vcl 4.1;
# Varnish: the edge cache in front of the load balancer (docs/production.md).
#
# It caches what the site says is public (Cache-Control: public, s-maxage;
# Vary honoured), passes everything personal (a session or messages cookie,
# Authorization, POSTs), and drops a page when the site purges it: Wagtail's
# frontend cache sends PURGE <url> with the page's Host (the HTTPBackend,
# WAGTAILFRONTENDCACHE_HTTP_LOCATION=http://<this varnish>), from an address
# in the `purgers` ACL. BAN with an X-Ban-Url regex drops many at once.
#
# The backend (the load balancer) and the purgers ACL are in backend.vcl,
# next to this file (deploy/backend.vcl.example; deploy/cluster.sh writes one).

import std;

include "backend.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        set req.url = std.querysort(req.url);
        return (purge);
    }
    if (req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Ban-Url) {
            return (synth(400, "X-Ban-Url missing"));
        }
        ban("req.http.host == " + req.http.host + " && req.url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Signed-in visitors (every one has a session) and visitors with a
    # message waiting: the site answers them itself.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Visits from a share (utm_source) are counted by the site on each view:
    # its own page cache answers them, cheaply.
    if (req.url ~ "[?&]utm_source=") {
        return (pass);
    }
    # Other tracking parameters never change a page: out of the key, as the
    # site's own cache does (SHARING_PAGE_CACHE_IGNORED_PARAMETERS).
    set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid|msclkid|from|isappinstalled|scene|clicktime|enterid)=[^&]*", "\1");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = std.querysort(req.url);
    # No other cookie changes a public page (CSRF, language, analytics):
    # drop them so anonymous visitors share one copy (Vary: Cookie).
    unset req.http.Cookie;
    # WeChat's browser gets pages of its own (Vary: User-Agent): one copy for
    # it, one for everyone else, not one per phone model.
    if (req.http.User-Agent ~ "MicroMessenger") {
        set req.http.X-UA-Class = "wechat";
    } else {
        set req.http.X-UA-Class = "other";
    }
    return (hash);
}

sub vcl_backend_response {
    # What the site did not declare public is not stored (hit-for-miss).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-cache|no-store)"
        || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Vary on the class of browser (vcl_recv), not on its exact name. (A
    # variant, not part of the hash: a PURGE drops every variant.)
    if (beresp.http.Vary ~ "(?i)User-Agent") {
        set beresp.http.Vary = regsub(beresp.http.Vary, "(?i)User-Agent", "X-UA-Class");
    }
    # A little grace: a stale copy while a new one is fetched, and while the
    # app servers are unreachable.
    set beresp.grace = 1m;
    return (deliver);
}

sub vcl_deliver {
    # For the cluster tests and for debugging: whether this was a hit.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    if (resp.http.Vary ~ "X-UA-Class") {
        set resp.http.Vary = regsub(resp.http.Vary, "X-UA-Class", "User-Agent");
    }
    # Browsers keep max-age, not the edge's s-maxage.
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
