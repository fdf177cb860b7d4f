#ifndef PANSIBLE_CRABBITMQ_H
#define PANSIBLE_CRABBITMQ_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/// Non-variadic wrapper around `amqp_login` (Swift cannot call C-variadic functions).
/// Logs in with SASL PLAIN.
amqp_rpc_reply_t pansible_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                           int frame_max, int heartbeat, const char *user, const char *password);

#endif
