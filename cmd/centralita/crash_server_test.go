package main

// Helpers for the crash test: the real centralita binary run as a child
// process, killed with SIGKILL, and a Graph API that can lose its answers.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// buildServer compiles this command into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	bin := filepath.Join(t.TempDir(), "centralita")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// childServer is one `centralita serve` process.
type childServer struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	done chan struct{}

	mu  sync.Mutex
	log []string // the last lines it logged, for failure messages
}

// startChild runs `centralita serve` with env added to this process's
// environment and waits until it listens.
func startChild(t *testing.T, bin string, env []string) *childServer {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &childServer{t: t, cmd: cmd, done: make(chan struct{})}
	t.Cleanup(c.kill)
	listening := make(chan string, 1)
	go func() {
		defer close(c.done)
		lines := bufio.NewScanner(stderr)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		for lines.Scan() {
			c.remember(lines.Text())
			var entry struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "listening" {
				listening <- entry.Addr
			}
		}
		c.remember(fmt.Sprintf("(log reader ended: %v)", lines.Err()))
		_, _ = io.Copy(io.Discard, stderr) // never let the child block on a full pipe
	}()
	select {
	case addr := <-listening:
		c.URL = "http://" + addr
	case <-c.done:
		t.Fatalf("the server exited before listening:\n%s", c.lastLog())
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not listen within 30 s:\n%s", c.lastLog())
	}
	return c
}

func (c *childServer) remember(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = append(c.log, line)
	if len(c.log) > 400 {
		c.log = c.log[len(c.log)-400:]
	}
}

func (c *childServer) lastLog() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.log, "\n")
}

// kill sends SIGKILL (no shutdown hook runs) and reaps the process.
func (c *childServer) kill() {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Kill()
	<-c.done
	_ = c.cmd.Wait()
}

// answerLosingGraph serves a FakeGraph but holds each answer for a while
// after Meta's side is done, so a process killed meanwhile never learns
// that its send was accepted: the ambiguous window of a real network.
type answerLosingGraph struct {
	fake  http.Handler
	delay time.Duration

	mu   sync.Mutex
	lost map[string]int // our message id → accepted sends whose answer was lost
}

func (g *answerLosingGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	g.fake.ServeHTTP(rec, r)
	select {
	case <-time.After(g.delay):
	case <-r.Context().Done():
		var send struct {
			Callback string `json:"biz_opaque_callback_data"`
		}
		var answer struct {
			Messages []struct {
				ID string `json:"id"`
			} `json:"messages"`
		}
		accepted := json.Unmarshal(rec.Body.Bytes(), &answer) == nil && len(answer.Messages) > 0
		if accepted && json.Unmarshal(body, &send) == nil && send.Callback != "" {
			g.mu.Lock()
			g.lost[send.Callback]++
			g.mu.Unlock()
		}
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (g *answerLosingGraph) lostAnswers() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.lost))
	for k, v := range g.lost {
		out[k] = v
	}
	return out
}
