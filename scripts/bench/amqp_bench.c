/* The plain rabbitmq-c reference for scripts/bench/10-amqp.sh: publishes COUNT persistent messages of SIZE
 * bytes to a fresh durable queue (quorum or classic) with publisher confirms (500 unconfirmed at most), then
 * consumes them with prefetch 100 and one ack each. Prints `publish=<msg/s> consume=<msg/s>`.
 *   amqp_bench HOST PORT COUNT SIZE [quorum|classic] */
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check(amqp_rpc_reply_t reply, const char *what) {
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        fprintf(stderr, "amqp_bench: %s failed\n", what);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: amqp_bench HOST PORT COUNT SIZE [quorum|classic]\n");
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    long count = atol(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    const char *type = argc > 5 ? argv[5] : "quorum";
    int quorum = strcmp(type, "classic") != 0;
    const int window = 500;

    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (amqp_socket_open(socket, host, port) != AMQP_STATUS_OK) {
        fprintf(stderr, "amqp_bench: cannot connect\n");
        return 1;
    }
    check(amqp_login(conn, "/", 0, 131072, 30, AMQP_SASL_METHOD_PLAIN, "guest", "guest"), "login");
    amqp_channel_open(conn, 1);
    check(amqp_get_rpc_reply(conn), "channel.open");

    char queue[64];
    snprintf(queue, sizeof(queue), "bench.c.%ld", (long)time(NULL) ^ (long)getpid());
    amqp_table_entry_t entries[3];
    entries[0].key = amqp_cstring_bytes("x-queue-type");
    entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[0].value.value.bytes = amqp_cstring_bytes(quorum ? "quorum" : "classic");
    entries[1].key = amqp_cstring_bytes("x-delivery-limit");
    entries[1].value.kind = AMQP_FIELD_KIND_I64;
    entries[1].value.value.i64 = 5;
    entries[2].key = amqp_cstring_bytes("x-expires");
    entries[2].value.kind = AMQP_FIELD_KIND_I64;
    entries[2].value.value.i64 = 60000;
    amqp_table_t arguments = {3, entries};
    if (!quorum) { /* classic queues know no delivery limit */
        entries[1] = entries[2];
        arguments.num_entries = 2;
    }
    amqp_queue_declare(conn, 1, amqp_cstring_bytes(queue), 0, 1, 0, 0, arguments);
    check(amqp_get_rpc_reply(conn), "queue.declare");
    amqp_confirm_select(conn, 1);
    check(amqp_get_rpc_reply(conn), "confirm.select");

    char *payload = malloc(size);
    memset(payload, 'a', size);
    amqp_bytes_t body = {size, payload};
    char id[64];
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof(props));
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    props.content_type = amqp_cstring_bytes("application/json");

    double start = now();
    uint64_t published = 0, confirmed = 0;
    while (confirmed < (uint64_t)count) {
        while (published < (uint64_t)count && published - confirmed < (uint64_t)window) {
            snprintf(id, sizeof(id), "bench/%llu", (unsigned long long)published);
            props.message_id = amqp_cstring_bytes(id);
            if (amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes(queue), 1, 0, &props, body) < 0) {
                fprintf(stderr, "amqp_bench: publish failed\n");
                return 1;
            }
            published++;
        }
        amqp_frame_t frame;
        if (amqp_simple_wait_frame(conn, &frame) != AMQP_STATUS_OK) {
            fprintf(stderr, "amqp_bench: wait failed\n");
            return 1;
        }
        if (frame.frame_type == AMQP_FRAME_METHOD && frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            amqp_basic_ack_t *ack = frame.payload.method.decoded;
            confirmed = ack->delivery_tag; /* tags are confirmed in order here: no nacks expected */
        }
        amqp_maybe_release_buffers(conn);
    }
    double publish_time = now() - start;

    start = now();
    amqp_basic_qos(conn, 1, 0, 100, 0);
    check(amqp_get_rpc_reply(conn), "basic.qos");
    amqp_basic_consume(conn, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(conn), "basic.consume");
    long received = 0;
    while (received < count) {
        amqp_envelope_t envelope;
        amqp_maybe_release_buffers(conn);
        amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, NULL, 0);
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
            fprintf(stderr, "amqp_bench: consume failed\n");
            return 1;
        }
        amqp_basic_ack(conn, 1, envelope.delivery_tag, 0);
        amqp_destroy_envelope(&envelope);
        received++;
    }
    double consume_time = now() - start;
    printf("publish=%ld consume=%ld\n", (long)(count / publish_time), (long)(count / consume_time));
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);
    free(payload);
    return 0;
}
