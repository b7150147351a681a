package chainkg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts a Neo4j Community DBMS in this JVM with a Bolt connector on 127.0.0.1 and auth off,
 * prints {@code READY bolt://127.0.0.1:PORT} once the default database answers, and runs until
 * the process is told to stop (SIGTERM/SIGINT), when a shutdown hook closes the DBMS cleanly.
 *
 * <p>Bolt keep-alive: every {@code KEEP_ALIVE_S} seconds (default 5) the server sends a NOOP chunk on a
 * connection whose request is still running, and it tells drivers, in the {@code HELLO} hints
 * ({@code connection.recv_timeout_seconds}, keep-alive x 2 probes), that a connection silent for longer
 * is dead. The Python driver then gives up on a frozen server (SIGSTOP, a stuck VM) after that long
 * instead of Neo4j's default 120 s.
 *
 * <p>Transaction logs: Neo4j keeps them for two days by default, for backups this server never takes;
 * every load writes its graph there again, so a benchmark run left 23 GB under {@code .neo4j/}. The
 * launcher keeps {@link #TX_LOG_RETENTION}; older files go at the next checkpoint.
 *
 * <p>Further settings: when {@code CHAINKG_NEO4J_CONF} names a file (neo4j.conf syntax, one {@code name=value}
 * per line), it is read first; the settings above are applied after it, so they win. Neo4j's strict
 * validation refuses a setting name it does not know, and the launcher then exits with that message.
 *
 * <p>Usage: {@code java [flags] -cp 'classes:lib/*' chainkg.Neo4jLauncher PORT HOME_DIR [PAGECACHE_MB [KEEP_ALIVE_S]]}
 */
public final class Neo4jLauncher {
    /** {@code db.tx_log.rotation.retention_policy}: the newest transaction logs up to this size are kept. */
    static final String TX_LOG_RETENTION = "512M size";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Neo4jLauncher PORT HOME_DIR [PAGECACHE_MB]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        long pageCacheMb = args.length > 2 ? Long.parseLong(args[2]) : 64L;
        long keepAliveSeconds = args.length > 3 ? Long.parseLong(args[3]) : 5L;

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        String extraConf = System.getenv("CHAINKG_NEO4J_CONF");
        if (extraConf != null && !extraConf.isBlank()) {
            builder.loadPropertiesFromFile(Path.of(extraConf).toAbsolutePath());
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * 1024L * 1024L)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, TX_LOG_RETENTION)
                .setConfig(BoltConnector.connection_keep_alive, Duration.ofSeconds(keepAliveSeconds))
                .setConfig(BoltConnector.connection_keep_alive_probes, 2)
                .setConfig(BoltConnector.connection_keep_alive_streaming_scheduling_interval, Duration.ofSeconds(1))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
