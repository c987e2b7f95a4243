package graph

// attributes passes a custom-attributes object on: absent (or null) keeps
// the stored value.
func attributes(m map[string]any) *map[string]any {
	if m == nil {
		return nil
	}
	return &m
}

// idList passes a list input on: absent (or null) keeps the stored value.
func idList(ids []string) *[]string {
	if ids == nil {
		return nil
	}
	return &ids
}

// deletedID renders the outcome of a delete as the id that was deleted.
func deletedID(id string, err error) (*string, error) {
	if err != nil {
		return nil, err
	}
	return &id, nil
}
