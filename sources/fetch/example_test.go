package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/newsalert/newsalert/sources/fetch"
)

// Polling a feed: store the validators of each answer and send them back;
// report failures to the user with UserMessage and decide on retrying with
// Retry.
func ExampleFetcher_Fetch() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			w.WriteHeader(http.StatusGone)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Example</title></channel></rss>`)
	}))
	defer srv.Close()

	// The test server is on 127.0.0.1, which is refused by default.
	f := fetch.New(fetch.Options{AllowPrivate: true})
	defer f.CloseIdleConnections()
	ctx := context.Background()

	first, err := f.Fetch(ctx, fetch.Request{URL: srv.URL + "/feed.xml"})
	if err != nil {
		panic(err)
	}
	fmt.Println(first.StatusCode, first.ContentType, len(first.Body), first.ETag)

	again, err := f.Fetch(ctx, fetch.Request{URL: srv.URL + "/feed.xml", ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		panic(err)
	}
	fmt.Println(again.StatusCode, again.NotModified)

	_, err = f.Fetch(ctx, fetch.Request{URL: srv.URL + "/gone"})
	var fe *fetch.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.Kind, fe.Retry(), fe.UserMessage())
	}
	_, err = fetch.New(fetch.Options{}).Fetch(ctx, fetch.Request{URL: "http://169.254.169.254/latest/meta-data/"})
	if errors.As(err, &fe) {
		fmt.Println(fe.UserMessage())
	}
	// Output:
	// 200 application/rss+xml 66 "v1"
	// 304 true
	// gone false gone (410): the source was removed by its publisher
	// refused: 169.254.169.254 is a link-local address (set NEWSALERT_ALLOW_PRIVATE_NETWORKS=true to allow)
}
