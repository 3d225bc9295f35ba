// Package auth signs staff in: users with argon2id-hashed passwords, sessions whose secret is both
// the API bearer token and the workbench cookie, roles, and CSRF protection for cookie requests.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/argon2"
)

// Roles a staff user can have; admin can do everything.
const (
	RoleAdmin     = "admin"
	RoleAgent     = "agent"
	RoleEditor    = "editor"
	RoleEvaluator = "evaluator"
	// RoleSupervisor is an agent who also watches every queue and agent and reassigns conversations.
	RoleSupervisor = "supervisor"
)

// TokenPrefix starts every staff token.
const TokenPrefix = "bst_"

// SessionTTL is how long a session lasts.
const SessionTTL = 12 * time.Hour

// ErrBadCredentials means the email or password is wrong (deliberately not saying which).
var ErrBadCredentials = errors.New("auth: wrong email or password")

// ErrNoSession means the token is unknown or expired.
var ErrNoSession = errors.New("auth: no such session")

// User is a staff member.
type User struct {
	ID        int64    `json:"id"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Skills    []string `json:"skills"`
	Languages []string `json:"languages"`
}

// Can reports whether the user has one of roles (admin always can; a supervisor can what an agent can).
func (u User) Can(roles ...string) bool {
	if u.Role == RoleAdmin {
		return true
	}
	for _, r := range roles {
		if u.Role == r || (u.Role == RoleSupervisor && r == RoleAgent) {
			return true
		}
	}
	return false
}

// Session is a signed-in user with the CSRF token that cookie requests must echo.
type Session struct {
	User      User
	CSRFToken string
	ExpiresAt time.Time
}

// Service manages users and sessions.
type Service struct {
	pool  *pgxpool.Pool
	guard *loginGuard
}

// NewService returns the service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool, guard: newLoginGuard()} }

// argon2id parameters (OWASP's minimum recommendation: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash with a random salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword compares pw with an encoded hash in constant time.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when the email is unknown, so a wrong email costs as long as a wrong password.
var dummyHash = HashPassword("not a real password")

const userCols = `id, email, name, role, skills, languages`

func scanUser(row pgx.Row) (User, string, error) {
	var u User
	var hash string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Skills, &u.Languages, &hash)
	return u, hash, err
}

// UserSpec describes a user to ensure.
type UserSpec struct {
	Email, Name, Password, Role string
	Skills, Languages           []string
}

// EnsureUser creates the user, or updates its password, role and name when it exists.
func (s *Service) EnsureUser(ctx context.Context, spec UserSpec) (User, error) {
	spec.Email = strings.ToLower(strings.TrimSpace(spec.Email))
	if spec.Email == "" || !strings.Contains(spec.Email, "@") {
		return User{}, fmt.Errorf("auth: %q is not an email address", spec.Email)
	}
	switch spec.Role {
	case RoleAdmin, RoleAgent, RoleEditor, RoleEvaluator, RoleSupervisor:
	default:
		return User{}, fmt.Errorf("auth: unknown role %q", spec.Role)
	}
	if len(spec.Skills) == 0 {
		spec.Skills = []string{"general"}
	}
	if len(spec.Languages) == 0 {
		spec.Languages = []string{"zh", "en"}
	}
	u, _, err := scanUser(s.pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role, skills, languages)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
		RETURNING `+userCols+`, password_hash`,
		spec.Email, spec.Name, HashPassword(spec.Password), spec.Role, spec.Skills, spec.Languages))
	if err != nil {
		return User{}, fmt.Errorf("auth: ensure user: %w", err)
	}
	return u, nil
}

// AddSkills gives the user with this email these skills on top of the ones they have.
func (s *Service) AddSkills(ctx context.Context, email string, skills []string) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET skills = ARRAY(SELECT DISTINCT x FROM unnest(skills || $2::text[]) AS x ORDER BY x)
		WHERE email = $1`, strings.ToLower(strings.TrimSpace(email)), skills)
	if err != nil {
		return fmt.Errorf("auth: add skills: %w", err)
	}
	return nil
}

// UserExists reports whether an email is registered.
func (s *Service) UserExists(ctx context.Context, email string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, strings.ToLower(strings.TrimSpace(email))).Scan(&ok)
	return ok, err
}

// UserGet returns one user.
func (s *Service) UserGet(ctx context.Context, id int64) (User, error) {
	u, _, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE id = $1`, id))
	return u, err
}

// Login checks the password and opens a session; the returned token is shown only now. Wrong
// passwords are throttled per account (ErrThrottled, as a ThrottledError) and checks bounded in
// number (ErrBusy); see throttle.go.
func (s *Service) Login(ctx context.Context, email, password string) (string, Session, error) {
	account := strings.ToLower(strings.TrimSpace(email))
	end, err := s.guard.begin(account)
	if err != nil {
		return "", Session{}, err
	}
	verdict := attemptAborted
	defer func() { end(verdict) }()
	u, hash, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE email = $1`, account))
	known := err == nil
	if errors.Is(err, pgx.ErrNoRows) {
		hash = dummyHash // a wrong email costs as long as a wrong password, and counts the same
	} else if err != nil {
		return "", Session{}, fmt.Errorf("auth: login: %w", err)
	}
	ok, err := s.guard.check(ctx, hash, password)
	if err != nil {
		return "", Session{}, err
	}
	if !ok || !known {
		verdict = attemptWrong
		return "", Session{}, ErrBadCredentials
	}
	verdict = attemptRight
	token := TokenPrefix + randomString(32)
	sess := Session{User: u, CSRFToken: randomString(24), ExpiresAt: time.Now().Add(SessionTTL)}
	if _, err := s.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`,
		hashToken(token), u.ID, sess.CSRFToken, sess.ExpiresAt); err != nil {
		return "", Session{}, fmt.Errorf("auth: create session: %w", err)
	}
	// Housekeeping: expired sessions go.
	_, _ = s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at < now()`)
	return token, sess, nil
}

// SessionByToken returns the live session a token opens.
func (s *Service) SessionByToken(ctx context.Context, token string) (Session, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return Session{}, ErrNoSession
	}
	var sess Session
	var hash string
	err := s.pool.QueryRow(ctx, `SELECT u.id, u.email, u.name, u.role, u.skills, u.languages, u.password_hash, s.csrf_token, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()`, hashToken(token)).
		Scan(&sess.User.ID, &sess.User.Email, &sess.User.Name, &sess.User.Role, &sess.User.Skills, &sess.User.Languages, &hash, &sess.CSRFToken, &sess.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("auth: session: %w", err)
	}
	return sess, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return err
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
