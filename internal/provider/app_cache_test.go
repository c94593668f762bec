package provider

import (
	"context"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Looking up many H5Apps costs one listing; the process's own creates and
// deletes are seen at once, without listing again.
func TestAppCatalogueListsOnceAndSeesOwnWrites(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	for _, id := range []string{"11111111", "22222222", "33333333"} {
		env.createAppOutOfBand(id, "app "+id)
	}
	lists := func() int64 { return env.emulator.Stats()[mpaas.ActionListNebulaApps] }
	catalogue := newAppCatalogue()
	before := lists()
	for _, id := range []string{"11111111", "22222222", "33333333", "44444444", "11111111"} {
		app, err := catalogue.find(ctx, env.client, id)
		if err != nil || (app == nil) != (id == "44444444") {
			t.Fatalf("find(%s) = %+v, %v", id, app, err)
		}
	}
	if got := lists() - before; got != 1 {
		t.Fatalf("five lookups made %d listings, want 1", got)
	}
	catalogue.created(mpaas.App{H5AppID: "44444444", Name: "new"})
	catalogue.deleted("22222222")
	if app, _ := catalogue.find(ctx, env.client, "44444444"); app == nil {
		t.Fatal("an H5App this process created must be found")
	}
	if app, _ := catalogue.find(ctx, env.client, "22222222"); app != nil {
		t.Fatal("an H5App this process deleted must be gone")
	}
	if got := lists() - before; got != 1 {
		t.Fatalf("own writes made %d listings, want still 1", got)
	}
}
