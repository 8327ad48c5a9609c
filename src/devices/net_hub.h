/* net_hub.h — the user-space network a virtio-net device (virtio_net.c) is plugged into: no host
 * networking, only what a guest's IP stack needs to come up and be checked, as QEMU's user-mode
 * network lays it out (10.0.2.0/24, the hub at 10.0.2.2): an ARP responder for the hub's
 * addresses, a DHCP server leasing 10.0.2.15, .16, ... in the order clients ask, and an echo
 * client that, once a client holds a lease, sends it UDP datagrams on the echo port and checks
 * that each comes back unchanged (net_hub.c). Frames are Ethernet II frames without FCS. */
#ifndef HOSTKIT_NET_HUB_H
#define HOSTKIT_NET_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct net_hub;

/* How the hub hands a frame to the device, to be received by the guest. */
typedef void (*net_hub_send_fn)(void *ctx, const uint8_t *frame, size_t len);

struct net_hub_options {
    unsigned echo_count;   /* UDP echo round trips per leased client (0: no echo client) */
    uint16_t echo_port;    /* the guest's UDP echo port (sDDF's echo_server: 1235) */
    FILE *report;          /* where the leases and echo results are said (stderr), or NULL */
};

struct net_hub *net_hub_new(const struct net_hub_options *opt, net_hub_send_fn send, void *ctx);
void net_hub_free(struct net_hub *h);
/* A frame the guest sent, at NOW (ns). */
void net_hub_input(struct net_hub *h, const uint8_t *frame, size_t len, uint64_t now);
/* When the hub next wants net_hub_tick (UINT64_MAX: never), and the tick. */
uint64_t net_hub_next_event(const struct net_hub *h);
void net_hub_tick(struct net_hub *h, uint64_t now);
/* An echo is under way (the hub will act without being sent anything). */
bool net_hub_busy(const struct net_hub *h);
/* What the hub has seen: leases given, echoes sent, and how many came back intact. */
struct net_hub_stats {
    unsigned leases, echo_sent, echo_ok, echo_bad, echo_done;
    uint64_t rtt_sum_ns, rtt_max_ns;
};
void net_hub_stats(const struct net_hub *h, struct net_hub_stats *s);
/* Says on the report stream what is still outstanding (a run that ends). */
void net_hub_finish(struct net_hub *h);

/* The hub's addresses (QEMU's user network: gateway and DHCP server 10.0.2.2, first lease
 * 10.0.2.15), host byte order. */
#define NET_HUB_IP 0x0a000202u
#define NET_HUB_FIRST_LEASE 0x0a00020fu
#define NET_HUB_MAX_LEASES 8

#endif
