package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id hashes passwords (OWASP's first choice) and implements
// domain.PasswordHasher. Hashes are PHC strings, so parameters can be raised
// later without invalidating stored hashes: Verify reads them from the hash.
type Argon2id struct {
	MemoryKiB  uint32
	Iterations uint32
	Threads    uint8
}

// DefaultArgon2id is OWASP's minimum recommendation (19 MiB, t=2, p=1).
var DefaultArgon2id = Argon2id{MemoryKiB: 19456, Iterations: 2, Threads: 1}

const (
	argonSaltBytes = 16
	argonKeyBytes  = 32
	// Bounds on parameters read from a stored hash, so a corrupted or
	// planted hash cannot make one login allocate gigabytes. Configuration
	// must stay within them, or new hashes would never verify.
	Argon2MaxMemoryKiB  = 1 << 20
	Argon2MaxIterations = 16
)

func (a Argon2id) withDefaults() Argon2id {
	if a.MemoryKiB == 0 {
		a.MemoryKiB = DefaultArgon2id.MemoryKiB
	}
	if a.Iterations == 0 {
		a.Iterations = DefaultArgon2id.Iterations
	}
	if a.Threads == 0 {
		a.Threads = DefaultArgon2id.Threads
	}
	return a
}

// Hash returns a PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func (a Argon2id) Hash(password string) (string, error) {
	a = a.withDefaults()
	salt := make([]byte, argonSaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	release := acquireArgonSlot()
	defer release()
	key := argon2.IDKey([]byte(password), salt, a.Iterations, a.MemoryKiB, a.Threads, argonKeyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.MemoryKiB, a.Iterations, a.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, comparing in constant time.
// A malformed hash never matches.
func (a Argon2id) Verify(hash, password string) bool {
	params, salt, want, ok := parsePHC(hash)
	if !ok {
		return false
	}
	release := acquireArgonSlot()
	defer release()
	got := argon2.IDKey([]byte(password), salt, params.Iterations, params.MemoryKiB, params.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func parsePHC(hash string) (Argon2id, []byte, []byte, bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return Argon2id{}, nil, nil, false
	}
	var p Argon2id
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &threads); err != nil || n != 3 {
		return Argon2id{}, nil, nil, false
	}
	if p.MemoryKiB == 0 || p.MemoryKiB > Argon2MaxMemoryKiB || p.Iterations == 0 || p.Iterations > Argon2MaxIterations ||
		threads == 0 || threads > 255 {
		return Argon2id{}, nil, nil, false
	}
	p.Threads = uint8(threads)
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Argon2id{}, nil, nil, false
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return Argon2id{}, nil, nil, false
	}
	return p, salt, key, true
}

// argonSlots caps concurrent hashing: each run holds ~19 MiB, so a burst of
// logins across many accounts must queue rather than exhaust memory.
var argonSlots = make(chan struct{}, 4*runtime.GOMAXPROCS(0))

func acquireArgonSlot() (release func()) {
	argonSlots <- struct{}{}
	return func() { <-argonSlots }
}
