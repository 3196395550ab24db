package org.coea.flink.lookup;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.coea.common.store.NoveltyRetriever;
import org.coea.flink.store.SharedStores;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;

/**
 * Flink async I/O over the stores: for each request, the user's CSID (the default CSID for an
 * unknown user), one novelty store get for CSID:hash(set), and the categories not in the set
 * ({@link NoveltyRetriever}), on a small thread pool so that store round trips overlap.
 */
public class NoveltyLookupFunction
        extends RichAsyncFunction<LookupRequest, NoveltyRetriever.Answer> {
    private static final long serialVersionUID = 1L;

    private final StoreSettings settings;
    private final int threads;
    private transient ExecutorService executor;
    private transient NoveltyRetriever retriever;

    /** A lookup over the stores of {@code settings} with {@code threads} store threads. */
    public NoveltyLookupFunction(StoreSettings settings, int threads) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (threads < 1) {
            throw new IllegalArgumentException("lookup threads must be >= 1: " + threads);
        }
        this.threads = threads;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        OpenedStores stores = SharedStores.acquire(settings);
        retriever = new NoveltyRetriever(stores.noveltyStore(), stores.userStore());
        executor = Executors.newFixedThreadPool(threads);
    }

    @Override
    public void asyncInvoke(
            LookupRequest request, ResultFuture<NoveltyRetriever.Answer> resultFuture) {
        CompletableFuture.supplyAsync(
                        () ->
                                request.set() == null
                                        ? retriever.retrieve(request.userId())
                                        : retriever.retrieve(
                                                request.userId(),
                                                Arrays.stream(request.set()).boxed().toList()),
                        executor)
                .whenComplete(
                        (answer, error) -> {
                            if (error != null) {
                                resultFuture.completeExceptionally(error);
                            } else {
                                resultFuture.complete(List.of(answer));
                            }
                        });
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (retriever != null) {
            SharedStores.release(settings);
        }
        super.close();
    }
}
