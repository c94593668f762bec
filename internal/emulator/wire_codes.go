package emulator

import (
	"fmt"
	"strconv"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// SetPackageWireCode makes the emulator answer value for one wire field
// (mpaas.FieldResourceType, FieldAutoInstall or FieldInstallType) of the
// stored package id, in every scope, from now on: the answer of a service
// that uses a code the client does not know. Tests use it to show that a
// read survives such a code. The integer fields need a whole number.
func (s *Server) SetPackageWireCode(id int64, field, value string) error {
	return s.editStored(func(sc *scopeState) (bool, error) {
		rec, ok := sc.Resources[id]
		if !ok {
			return false, nil
		}
		item := &rec.Item
		switch field {
		case mpaas.FieldResourceType:
			item.ResourceType = value
			return true, nil
		case mpaas.FieldAutoInstall:
			return true, setInt32(&item.AutoInstall, field, value)
		case mpaas.FieldInstallType:
			return true, setInt32(&item.InstallType, field, value)
		case mpaas.FieldFileSize:
			item.FileSize = value
			return true, nil
		}
		return true, fmt.Errorf("emulator: package field %q cannot be set (ResourceType, AutoInstall, InstallType or FileSize)", field)
	}, "package", id)
}

// SetTaskWireCode is SetPackageWireCode for a stored release task and the
// fields mpaas.FieldPublishType, FieldPublishMode and FieldTaskStatus.
func (s *Server) SetTaskWireCode(id int64, field, value string) error {
	return s.editStored(func(sc *scopeState) (bool, error) {
		rec, ok := sc.Tasks[id]
		if !ok {
			return false, nil
		}
		detail := &rec.Detail
		switch field {
		case mpaas.FieldPublishType:
			return true, setInt32(&detail.PublishType, field, value)
		case mpaas.FieldPublishMode:
			return true, setInt32(&detail.PublishMode, field, value)
		case mpaas.FieldTaskStatus:
			return true, setInt32(&detail.TaskStatus, field, value)
		}
		return true, fmt.Errorf("emulator: task field %q cannot be set (PublishType, PublishMode or TaskStatus)", field)
	}, "release task", id)
}

// editStored applies edit to the scope that holds the object and commits.
func (s *Server) editStored(edit func(*scopeState) (found bool, err error), kind string, id int64) error {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, sc := range st.st.Scopes {
		found, err := edit(sc)
		if err != nil {
			return err
		}
		if found {
			ch := change{scope: sc, resources: []int64{id}}
			if kind == "release task" {
				ch = change{scope: sc, tasks: []int64{id}}
			}
			return st.commitLocked(ch)
		}
	}
	return fmt.Errorf("emulator: no %s %d is stored", kind, id)
}

func setInt32(target *int32, field, value string) error {
	n, err := strconv.ParseInt(value, 10, 32)
	if err != nil {
		return fmt.Errorf("emulator: %s needs a whole number, got %q", field, value)
	}
	*target = int32(n)
	return nil
}
