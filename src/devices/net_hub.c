/* net_hub.c — the user-space network of net_hub.h. What it speaks, from the protocols' RFCs:
 * Ethernet II frames; ARP (RFC 826) replies for the hub's own addresses (10.0.2.2, and 10.0.2.3
 * where QEMU's user network has its DNS server), never for anyone else's (a guest probing its
 * leased address must hear nothing); IPv4 (RFC 791) without options or fragments, its header
 * checksum the RFC 1071 sum; UDP (RFC 768) with its checksum over the pseudo header; and a DHCP
 * server (RFC 2131, options RFC 2132): DHCPDISCOVER is answered with DHCPOFFER of the client's
 * lease (a new one, 10.0.2.15 on, per client hardware address), DHCPREQUEST for that lease with
 * DHCPACK (for another address, DHCPNAK), each with the server identifier, the lease time, the
 * subnet mask, the router and the DNS server, broadcast (the client has no address yet). Once an
 * ACKed client uses its address, the echo client sends it ECHO_COUNT datagrams on the echo port, one at a time,
 * each with its own sequence number, resending after a timeout, and counts those that come back
 * from that port with the same payload; the round trip is the time from sending to receiving. */
#include <stdlib.h>
#include <string.h>

#include "devices/net_hub.h"

#define ETH_HDR 14
#define IP_HDR 20
#define UDP_HDR 8
#define FRAME_MAX 1514
#define ECHO_START_NS 1000000ull /* after the client first uses its address */
#define ECHO_RESEND_NS 500000000ull /* no answer in this long: the datagram is sent again */
#define ECHO_TRIES 12 /* 6 s: a client announcing its address may take its time to use it (RFC 5227, 2.3) */
#define ECHO_SRC_PORT 40000
#define DNS_IP 0x0a000203u

enum { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_ACK = 5, DHCP_NAK = 6 };

struct lease {
    uint8_t mac[6];
    uint32_t ip;
    bool acked, started;
    /* the echo client's state for this client */
    unsigned sent, ok, bad, tries;
    uint16_t seq;
    bool waiting, done;
    uint64_t due;      /* the next send (or resend), ns; UINT64_MAX when none */
    uint64_t sent_at;
    uint64_t rtt_sum, rtt_max;
};

struct net_hub {
    struct net_hub_options opt;
    net_hub_send_fn send;
    void *ctx;
    uint8_t mac[6];
    uint16_t ip_id;
    struct lease lease[NET_HUB_MAX_LEASES];
    unsigned nleases;
};

static const uint8_t BROADCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
/* the hub's hardware address: QEMU's user network's gateway's, locally administered */
static const uint8_t HUB_MAC[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* RFC 1071: the ones' complement of the ones' complement sum of 16-bit words, from SUM on. */
static uint16_t checksum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t k = 0; k + 1 < n; k += 2)
        sum += get16(p + k);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

struct net_hub *net_hub_new(const struct net_hub_options *opt, net_hub_send_fn send, void *ctx)
{
    struct net_hub *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->opt = *opt;
    h->send = send;
    h->ctx = ctx;
    memcpy(h->mac, HUB_MAC, 6);
    return h;
}

void net_hub_free(struct net_hub *h) { free(h); }

/* A UDP datagram from the hub (SRC_IP:SPORT) to DST_IP:DPORT at DST_MAC. */
static void send_udp(struct net_hub *h, const uint8_t dst_mac[6], uint32_t src_ip, uint32_t dst_ip, uint16_t sport,
                     uint16_t dport, const uint8_t *payload, size_t n)
{
    uint8_t f[FRAME_MAX];
    if (ETH_HDR + IP_HDR + UDP_HDR + n > sizeof f)
        return;
    memcpy(f, dst_mac, 6);
    memcpy(f + 6, h->mac, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + ETH_HDR, *udp = ip + IP_HDR;
    memset(ip, 0, IP_HDR);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(IP_HDR + UDP_HDR + n));
    put16(ip + 4, h->ip_id++);
    ip[8] = 64; /* TTL */
    ip[9] = 17; /* UDP */
    put32(ip + 12, src_ip);
    put32(ip + 16, dst_ip);
    put16(ip + 10, checksum(ip, IP_HDR, 0));
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (uint16_t)(UDP_HDR + n));
    put16(udp + 6, 0);
    memcpy(udp + UDP_HDR, payload, n);
    /* the pseudo header: source, destination, protocol, UDP length */
    uint32_t pseudo = (src_ip >> 16) + (src_ip & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) + 17 + UDP_HDR + (uint32_t)n;
    uint16_t sum = checksum(udp, UDP_HDR + n, pseudo);
    put16(udp + 6, sum ? sum : 0xffff); /* 0 would say "no checksum" */
    h->send(h->ctx, f, ETH_HDR + IP_HDR + UDP_HDR + n);
}

/* ---- ARP ---- */
static void address_used(struct net_hub *h, const uint8_t *mac, uint32_t ip, uint64_t now);

static void arp(struct net_hub *h, const uint8_t *a, size_t n, uint64_t now)
{
    if (n < 28 || get16(a) != 1 || get16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4 || get16(a + 6) != 1)
        return; /* only Ethernet/IPv4 requests are answered */
    address_used(h, a + 8, get32(a + 14), now);
    uint32_t target = get32(a + 24);
    if (target != NET_HUB_IP && target != DNS_IP)
        return;
    uint8_t f[ETH_HDR + 28];
    memcpy(f, a + 8, 6); /* to the sender's hardware address */
    memcpy(f + 6, h->mac, 6);
    put16(f + 12, 0x0806);
    uint8_t *r = f + ETH_HDR;
    put16(r, 1), put16(r + 2, 0x0800), r[4] = 6, r[5] = 4, put16(r + 6, 2); /* a reply */
    memcpy(r + 8, h->mac, 6);
    put32(r + 14, target);
    memcpy(r + 18, a + 8, 10); /* the target: the requester's hardware and protocol address */
    h->send(h->ctx, f, sizeof f);
}

/* ---- DHCP ---- */
static struct lease *lease_of(struct net_hub *h, const uint8_t mac[6], bool create)
{
    for (unsigned k = 0; k < h->nleases; k++)
        if (!memcmp(h->lease[k].mac, mac, 6))
            return &h->lease[k];
    if (!create || h->nleases == NET_HUB_MAX_LEASES)
        return NULL;
    struct lease *l = &h->lease[h->nleases];
    memset(l, 0, sizeof *l);
    memcpy(l->mac, mac, 6);
    l->ip = NET_HUB_FIRST_LEASE + h->nleases++;
    l->due = UINT64_MAX;
    return l;
}

/* The option CODE of the options at OPT (N bytes), its length into *LEN; NULL when absent. */
static const uint8_t *dhcp_option(const uint8_t *opt, size_t n, uint8_t code, uint8_t *len)
{
    for (size_t k = 0; k < n && opt[k] != 255;) {
        if (opt[k] == 0) { /* pad */
            k++;
            continue;
        }
        if (k + 1 >= n || k + 2 + opt[k + 1] > n)
            return NULL;
        if (opt[k] == code) {
            *len = opt[k + 1];
            return opt + k + 2;
        }
        k += 2 + opt[k + 1];
    }
    return NULL;
}

static void dhcp_reply(struct net_hub *h, const uint8_t *req, uint8_t type, uint32_t yiaddr)
{
    uint8_t m[300];
    memset(m, 0, sizeof m);
    m[0] = 2; /* BOOTREPLY */
    m[1] = 1, m[2] = 6;
    memcpy(m + 4, req + 4, 4);   /* xid */
    memcpy(m + 10, req + 10, 2); /* flags */
    put32(m + 16, yiaddr);
    put32(m + 20, type == DHCP_NAK ? 0 : NET_HUB_IP); /* siaddr */
    memcpy(m + 24, req + 24, 4);                       /* giaddr */
    memcpy(m + 28, req + 28, 16);                      /* chaddr */
    put32(m + 236, 0x63825363);                        /* the magic cookie */
    uint8_t *o = m + 240;
    *o++ = 53, *o++ = 1, *o++ = type;
    *o++ = 54, *o++ = 4, put32(o, NET_HUB_IP), o += 4; /* server identifier */
    if (type != DHCP_NAK) {
        *o++ = 51, *o++ = 4, put32(o, 86400), o += 4;      /* lease time, s */
        *o++ = 1, *o++ = 4, put32(o, 0xffffff00u), o += 4; /* subnet mask */
        *o++ = 3, *o++ = 4, put32(o, NET_HUB_IP), o += 4;  /* router */
        *o++ = 6, *o++ = 4, put32(o, DNS_IP), o += 4;      /* DNS server */
    }
    *o++ = 255;
    send_udp(h, BROADCAST, NET_HUB_IP, 0xffffffffu, 67, 68, m, (size_t)(o - m));
}

/* The client at MAC used its leased address IP (an ARP announcement or request from it, an IPv4
 * packet from it): it holds it now (a client may first probe that nobody else does, RFC 5227,
 * which takes seconds), and the echo client starts. */
static void address_used(struct net_hub *h, const uint8_t *mac, uint32_t ip, uint64_t now)
{
    struct lease *l = lease_of(h, mac, false);
    if (l && l->acked && l->ip == ip && !l->started && h->opt.echo_count) {
        l->started = true;
        l->due = now + ECHO_START_NS;
    }
}

static void dhcp(struct net_hub *h, const uint8_t *m, size_t n)
{
    if (n < 240 || m[0] != 1 || m[1] != 1 || m[2] != 6 || get32(m + 236) != 0x63825363)
        return;
    uint8_t len = 0;
    const uint8_t *t = dhcp_option(m + 240, n - 240, 53, &len);
    if (!t || len != 1)
        return;
    if (*t == DHCP_DISCOVER) {
        struct lease *l = lease_of(h, m + 28, true);
        if (l)
            dhcp_reply(h, m, DHCP_OFFER, l->ip);
    } else if (*t == DHCP_REQUEST) {
        struct lease *l = lease_of(h, m + 28, false);
        const uint8_t *sid = dhcp_option(m + 240, n - 240, 54, &len);
        if (sid && (len != 4 || get32(sid) != NET_HUB_IP))
            return; /* the client chose another server */
        const uint8_t *want = dhcp_option(m + 240, n - 240, 50, &len);
        uint32_t ip = want && len == 4 ? get32(want) : get32(m + 12); /* requested address, or ciaddr */
        if (!l || ip != l->ip) {
            dhcp_reply(h, m, DHCP_NAK, 0);
            return;
        }
        dhcp_reply(h, m, DHCP_ACK, l->ip);
        if (!l->acked) {
            l->acked = true;
            if (h->opt.report)
                fprintf(h->opt.report, "hostkit: net: DHCP: leased %u.%u.%u.%u to %02x:%02x:%02x:%02x:%02x:%02x\n",
                        l->ip >> 24, l->ip >> 16 & 255, l->ip >> 8 & 255, l->ip & 255, l->mac[0], l->mac[1],
                        l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
        }
    }
}

/* ---- the echo client ---- */
static size_t echo_payload(const struct lease *l, uint8_t *p, size_t max)
{
    int n = snprintf((char *)p, max, "hostkit echo %u to %u.%u.%u.%u: the quick brown fox jumps over the lazy dog",
                     l->seq, l->ip >> 24, l->ip >> 16 & 255, l->ip >> 8 & 255, l->ip & 255);
    return n < 0 ? 0 : (size_t)n < max ? (size_t)n : max;
}

static void echo_send(struct net_hub *h, struct lease *l, uint64_t now)
{
    uint8_t p[128];
    size_t n = echo_payload(l, p, sizeof p);
    send_udp(h, l->mac, NET_HUB_IP, l->ip, (uint16_t)(ECHO_SRC_PORT + (l - h->lease)), h->opt.echo_port, p, n);
    if (!l->waiting) {
        l->sent++;
        l->tries = 0;
    }
    l->tries++;
    l->waiting = true;
    l->sent_at = now;
    l->due = now + ECHO_RESEND_NS;
}

static void echo_report(struct net_hub *h, const struct lease *l)
{
    if (!h->opt.report)
        return;
    unsigned ok = l->ok;
    fprintf(h->opt.report,
            "hostkit: net: UDP echo to %u.%u.%u.%u port %u: %u of %u datagrams came back unchanged (%u wrong); "
            "round trip mean %llu us, max %llu us\n",
            l->ip >> 24, l->ip >> 16 & 255, l->ip >> 8 & 255, l->ip & 255, h->opt.echo_port, ok, h->opt.echo_count,
            l->bad, (unsigned long long)(ok ? l->rtt_sum / ok / 1000 : 0), (unsigned long long)(l->rtt_max / 1000));
}

static void echo_next(struct net_hub *h, struct lease *l, uint64_t now)
{
    l->waiting = false;
    l->seq++;
    if (l->sent >= h->opt.echo_count) {
        l->done = true;
        l->due = UINT64_MAX;
        echo_report(h, l);
    } else {
        echo_send(h, l, now);
    }
}

static void udp_in(struct net_hub *h, uint32_t src, const uint8_t *u, size_t n, uint64_t now)
{
    uint16_t sport = get16(u), dport = get16(u + 2), ulen = get16(u + 4);
    if (ulen < UDP_HDR || ulen > n)
        return;
    const uint8_t *payload = u + UDP_HDR;
    size_t plen = ulen - UDP_HDR;
    if (dport == 67 && sport == 68) {
        dhcp(h, payload, plen);
        return;
    }
    for (unsigned k = 0; k < h->nleases; k++) {
        struct lease *l = &h->lease[k];
        if (l->ip != src || sport != h->opt.echo_port || dport != ECHO_SRC_PORT + k || !l->waiting)
            continue;
        uint8_t want[128];
        size_t wn = echo_payload(l, want, sizeof want);
        if (plen == wn && !memcmp(payload, want, wn)) {
            uint64_t rtt = now - l->sent_at;
            l->ok++;
            l->rtt_sum += rtt;
            if (rtt > l->rtt_max)
                l->rtt_max = rtt;
            echo_next(h, l, now);
        } else {
            l->bad++;
        }
    }
}

void net_hub_input(struct net_hub *h, const uint8_t *f, size_t n, uint64_t now)
{
    if (n < ETH_HDR || (memcmp(f, h->mac, 6) && memcmp(f, BROADCAST, 6)))
        return; /* not for the hub */
    uint16_t type = get16(f + 12);
    if (type == 0x0806) {
        arp(h, f + ETH_HDR, n - ETH_HDR, now);
        return;
    }
    if (type != 0x0800 || n < ETH_HDR + IP_HDR)
        return;
    const uint8_t *ip = f + ETH_HDR;
    unsigned ihl = (ip[0] & 15) * 4u;
    uint16_t total = get16(ip + 2);
    if ((ip[0] >> 4) != 4 || ihl < IP_HDR || total < ihl || ETH_HDR + (size_t)total > n || (get16(ip + 6) & 0x3fff))
        return; /* not IPv4, truncated, or a fragment */
    address_used(h, f + 6, get32(ip + 12), now);
    if (ip[9] == 17 && total >= ihl + UDP_HDR)
        udp_in(h, get32(ip + 12), ip + ihl, total - ihl, now);
}

uint64_t net_hub_next_event(const struct net_hub *h)
{
    uint64_t next = UINT64_MAX;
    for (unsigned k = 0; k < h->nleases; k++)
        if (h->lease[k].due < next)
            next = h->lease[k].due;
    return next;
}

void net_hub_tick(struct net_hub *h, uint64_t now)
{
    for (unsigned k = 0; k < h->nleases; k++) {
        struct lease *l = &h->lease[k];
        if (l->due > now)
            continue;
        if (l->waiting && l->tries >= ECHO_TRIES)
            echo_next(h, l, now); /* this one is lost */
        else
            echo_send(h, l, now);
    }
}

bool net_hub_busy(const struct net_hub *h) { return net_hub_next_event(h) != UINT64_MAX; }

void net_hub_stats(const struct net_hub *h, struct net_hub_stats *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned k = 0; k < h->nleases; k++) {
        const struct lease *l = &h->lease[k];
        s->leases += l->acked;
        s->echo_sent += l->sent;
        s->echo_ok += l->ok;
        s->echo_bad += l->bad;
        s->echo_done += l->done;
        s->rtt_sum_ns += l->rtt_sum;
        if (l->rtt_max > s->rtt_max_ns)
            s->rtt_max_ns = l->rtt_max;
    }
}

void net_hub_finish(struct net_hub *h)
{
    if (!h->opt.report)
        return;
    for (unsigned k = 0; k < h->nleases; k++) {
        const struct lease *l = &h->lease[k];
        if (!l->acked)
            fprintf(h->opt.report, "hostkit: net: DHCP: %u.%u.%u.%u was offered but never requested\n", l->ip >> 24,
                    l->ip >> 16 & 255, l->ip >> 8 & 255, l->ip & 255);
        else if (h->opt.echo_count && !l->done)
            echo_report(h, l);
    }
}
